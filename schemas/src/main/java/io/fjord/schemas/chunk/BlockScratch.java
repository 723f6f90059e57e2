package io.fjord.schemas.chunk;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The working arrays of one block decode (the decompressed body and the v2 columns), lent from a
 * small pool shared by every reader: a reader is made per chunk, and a fresh 256 KiB body buffer per
 * chunk (zeroed, often on untouched pages) cost 10-15% of a scan of short streams. A decoder borrows
 * one for the duration of one block and returns it before handing out any entry (entries never
 * refer to the body). At most {@link #POOLED} pooled instances exist; when all are lent out (more
 * decoders at once), a decoder makes its own and keeps it for its reader's life, as every reader
 * did before, so a busy querier never allocates per block. Arrays above {@link #KEEP_RAW_BYTES} /
 * {@link #KEEP_ENTRIES} are not kept in the pool, so the retained memory stays bounded.
 * Thread-safety: an instance is used by one thread between {@link #poll} and {@link #release};
 * the pool is thread-safe.
 */
final class BlockScratch {
  static final int POOLED = 2 * Runtime.getRuntime().availableProcessors();
  /**
   * The largest body buffer kept in the pool: the compactor's recompressed chunks have 2 MB blocks
   * (the flush's, 256 KiB), and a buffer grows to twice the largest block seen. So an idle pool holds
   * at most {@link #POOLED} x (4 MiB + 2 MiB of columns + 1 MiB of multi-line list).
   */
  static final int KEEP_RAW_BYTES = 4 << 20;
  /** The largest column length (entries per block) kept in the pool. */
  static final int KEEP_ENTRIES = 128 * 1024;
  private static final ArrayBlockingQueue<BlockScratch> POOL = new ArrayBlockingQueue<>(POOLED);
  /** Pooled instances made so far (at most {@link #POOLED}; each is in the pool or lent out). */
  private static final AtomicInteger CREATED = new AtomicInteger();

  byte[] raw = new byte[0];
  long[] timestamps = new long[0];
  int[] lineStarts = new int[0];
  int[] mdStarts = new int[0];
  int[] multiLineEntries = new int[0];
  int[] nextHits = new int[0];

  private BlockScratch() {}

  /**
   * A pooled instance (a new one while fewer than {@link #POOLED} exist), or null when all of them
   * are lent out.
   */
  static BlockScratch poll() {
    BlockScratch s = POOL.poll();
    if (s != null) {
      return s;
    }
    if (CREATED.incrementAndGet() <= POOLED) {
      return new BlockScratch();
    }
    CREATED.decrementAndGet();
    return null;
  }

  /** A new instance outside the pool, for its owner to keep (never {@link #release}d). */
  static BlockScratch create() {
    return new BlockScratch();
  }

  /** Gives back {@code s} from {@link #poll} (no longer used), dropping arrays too large to keep. */
  static void release(BlockScratch s) {
    trim(s);
    POOL.offer(s); // always room: at most POOLED pooled instances exist
  }

  /** Drops the arrays of {@code s} that are too large to keep in the pool. */
  static void trim(BlockScratch s) {
    if (s.raw.length > KEEP_RAW_BYTES) {
      s.raw = new byte[0];
    }
    if (s.timestamps.length > KEEP_ENTRIES) {
      s.timestamps = new long[0];
      s.lineStarts = new int[0];
      s.mdStarts = new int[0];
    }
    if (s.multiLineEntries.length > 2 * KEEP_ENTRIES) {
      s.multiLineEntries = new int[0];
    }
  }
}
