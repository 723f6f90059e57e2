package io.fjord.schemas.chunk;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * The working arrays of one block decode (the decompressed body and the v2 columns), lent from a
 * small pool shared by every reader: a reader is made per chunk, and a fresh 256 KiB body buffer per
 * chunk (zeroed, often on untouched pages) cost 10-15% of a scan of short streams. A decoder borrows
 * one for the duration of one block and returns it before handing out any entry (entries never
 * refer to the body). When more decoders run at once than the pool holds, a decoder that finds it
 * empty makes its own instance and keeps it for its reader's life (as every reader did before), so
 * a busy querier never allocates per block. Thread-safety: an instance is used by one thread
 * between {@link #borrow} and {@link #release}; the pool is thread-safe. At most {@link #POOLED} are kept, and arrays above
 * {@link #KEEP_RAW_BYTES} / {@link #KEEP_ENTRIES} are not, so the retained memory stays bounded.
 */
final class BlockScratch {
  static final int POOLED = 2 * Runtime.getRuntime().availableProcessors();
  /** The largest body buffer kept in the pool (four blocks of Loki's default 256 KiB). */
  static final int KEEP_RAW_BYTES = 1 << 20;
  /** The largest column length (entries per block) kept in the pool. */
  static final int KEEP_ENTRIES = 64 * 1024;
  private static final ArrayBlockingQueue<BlockScratch> POOL = new ArrayBlockingQueue<>(POOLED);

  byte[] raw = new byte[0];
  long[] timestamps = new long[0];
  int[] lineStarts = new int[0];
  int[] mdStarts = new int[0];
  int[] multiLineEntries = new int[0];
  int[] nextHits = new int[0];

  private BlockScratch() {}

  /** A pooled instance, or a new one when the pool is empty. */
  static BlockScratch borrow() {
    BlockScratch s = poll();
    return s != null ? s : create();
  }

  /** A pooled instance, or null when the pool is empty. */
  static BlockScratch poll() {
    return POOL.poll();
  }

  /** A new instance, not from the pool (its owner may keep it, or {@link #release} it). */
  static BlockScratch create() {
    return new BlockScratch();
  }

  /** Gives {@code s} back (the caller no longer uses it), dropping arrays too large to keep. */
  static void release(BlockScratch s) {
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
    POOL.offer(s); // when full, s is left to the collector
  }
}
