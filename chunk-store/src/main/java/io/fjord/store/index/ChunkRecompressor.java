package io.fjord.store.index;

import io.fjord.schemas.chunk.BlockMeta;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkFooter;
import io.fjord.schemas.chunk.ChunkFormatException;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites one flushed chunk at a higher zstd level under a new object key, and proves the copy
 * holds the same entries before anyone may use it. The old object is never touched (a reader doing
 * ranged reads of it must not see it change); the new key is the usual {@link ChunkKey} of the new
 * bytes, so the same chunk recompressed twice (a run that died before its swap, then the next one)
 * gives the same object, which the second run overwrites with the same bytes and adopts.
 *
 * <p>Steps: read the whole object, decode every entry, encode them again with zstd at the level
 * (blocks cut at the old chunk's own block size, so boundaries stay about where they were), decode
 * the copy, and compare entry count, first and last timestamps and a CRC32C over every entry
 * (timestamp, line, structured metadata), plus tenant and labels. Any difference keeps the old
 * chunk and counts a failure; so does a missing or unreadable object. A copy no smaller than the
 * original is not written. Store outages propagate ({@link io.fjord.store.ObjectStoreUnavailableException}).
 *
 * <p>Single thread (the compactor's): the rate limiter has state.
 */
final class ChunkRecompressor {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkRecompressor.class);

  /** Encodes entries as a chunk; the seam tests use to make a copy that differs. */
  @FunctionalInterface
  interface Encoder {
    byte[] encode(String tenant, Labels labels, List<LogEntry> entries, int blockSize, int zstdLevel);
  }

  static final Encoder ZSTD = (tenant, labels, entries, blockSize, level) ->
      ChunkEncoder.encode(tenant, labels, entries, ChunkCodec.ZSTD, blockSize, level);

  /** What became of one chunk. */
  sealed interface Outcome permits Swapped, Kept, Failed {}

  /** Written under {@code replacement}'s key, which the index may now name instead of the old one. */
  record Swapped(ChunkRef original, ChunkRef replacement, long rawBytes) implements Outcome {}

  /** Left as it is (no smaller once recompressed, or the same bytes already). */
  record Kept(ChunkRef original, String reason) implements Outcome {}

  /** Left as it is because it could not be recompressed safely. */
  record Failed(ChunkRef original, String reason) implements Outcome {}

  /** What the entries of a chunk add up to; two chunks with equal digests hold the same entries. */
  record EntryDigest(long count, long firstTs, long lastTs, int crc, long rawBytes) {}

  private final ObjectStore store;
  private final int level;
  private final ByteRateLimiter limiter;
  private final Encoder encoder;

  ChunkRecompressor(ObjectStore store, int level, ByteRateLimiter limiter, Encoder encoder) {
    this.store = Objects.requireNonNull(store, "store");
    this.level = ChunkCodec.checkZstdLevel(level);
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
  }

  /**
   * Recompresses the chunk {@code ref} names.
   *
   * @throws InterruptedException when interrupted while the rate limit holds it back
   */
  Outcome recompress(ChunkRef ref) throws InterruptedException {
    byte[] old = store.get(ref.key()).orElse(null);
    if (old == null) {
      return failed(ref, "chunk object is missing");
    }
    ChunkFooter footer;
    List<LogEntry> entries;
    try {
      ChunkReader reader = ChunkReader.of(ref.key(), old);
      footer = reader.footer();
      entries = new ArrayList<>((int) Math.min(footer.entries(), 1 << 20));
      reader.entries(ScanDirection.FORWARD).forEachRemaining(entries::add);
    } catch (ChunkFormatException e) {
      return failed(ref, e.getMessage());
    }
    if (!footer.tenant().equals(ref.tenant()) || !footer.labels().equals(ref.labels())
        || entries.size() != ref.entries() || entries.isEmpty()) {
      return failed(ref, "chunk does not match its index entry (tenant, labels or entry count)");
    }
    EntryDigest before = digest(entries);
    limiter.acquire(before.rawBytes());
    byte[] copy;
    try {
      copy = encoder.encode(footer.tenant(), footer.labels(), entries, blockSize(footer), level);
    } catch (RuntimeException e) {
      return failed(ref, "could not encode the copy: " + e);
    }
    entries = null; // the copy is checked from its own bytes below
    if (copy.length >= old.length) {
      return new Kept(ref, "no smaller at zstd level " + level + " (" + copy.length + " >= " + old.length + " bytes)");
    }
    ChunkKey key;
    try {
      ChunkReader check = ChunkReader.of(ref.key() + " (recompressed copy)", copy);
      List<LogEntry> again = new ArrayList<>(ref.entries());
      check.entries(ScanDirection.FORWARD).forEachRemaining(again::add);
      EntryDigest after = digest(again);
      if (!after.equals(before) || !check.footer().tenant().equals(footer.tenant())
          || !check.footer().labels().equals(footer.labels())) {
        return failed(ref, "recompressed copy differs: " + after + " vs " + before);
      }
      key = ChunkKey.of(check.footer(), copy);
    } catch (ChunkFormatException e) {
      return failed(ref, "recompressed copy does not read back: " + e.getMessage());
    }
    if (key.fingerprint() != ref.fingerprint() || key.fromNanos() != ref.fromNanos()
        || key.throughNanos() != ref.throughNanos()) {
      return failed(ref, "recompressed copy would move to " + key);
    }
    if (key.equals(ref.chunk())) {
      return new Kept(ref, "already recompressed (same bytes)");
    }
    store.put(key.key(), copy);
    return new Swapped(ref, new ChunkRef(key, ref.labels(), copy.length, ref.entries()), before.rawBytes());
  }

  private static Failed failed(ChunkRef ref, String reason) {
    LOG.error("compactor: not recompressing chunk {}: {}", ref.key(), reason);
    return new Failed(ref, reason);
  }

  /**
   * The block size the chunk was cut with, as near as its blocks tell: a block is cut once its body
   * reaches the size, so every block but the last is at least that; the smallest of them is used
   * (the only block's own length for a one-block chunk).
   */
  static int blockSize(ChunkFooter footer) {
    List<BlockMeta> blocks = footer.blocks();
    long min = Long.MAX_VALUE;
    for (int i = 0; i < blocks.size() - 1; i++) {
      min = Math.min(min, blocks.get(i).rawLength());
    }
    if (min == Long.MAX_VALUE) {
      min = blocks.get(0).rawLength();
    }
    return (int) Math.max(1, Math.min(min, io.fjord.schemas.chunk.ChunkFormat.MAX_BLOCK_RAW_SIZE));
  }

  /** Count, first and last timestamp, CRC32C over every entry and the bytes of the lines. */
  static EntryDigest digest(List<LogEntry> entries) {
    CRC32C crc = new CRC32C();
    long raw = 0;
    byte[] ts = new byte[8];
    Iterator<LogEntry> it = entries.iterator();
    while (it.hasNext()) {
      LogEntry e = it.next();
      long t = e.timestampNanos();
      for (int i = 0; i < 8; i++) {
        ts[i] = (byte) (t >>> (56 - 8 * i));
      }
      crc.update(ts);
      byte[] line = e.line().getBytes(StandardCharsets.UTF_8);
      raw += line.length;
      update(crc, line);
      Labels md = e.metadata();
      crc.update(md.size());
      for (int i = 0; i < md.size(); i++) {
        update(crc, md.name(i).getBytes(StandardCharsets.UTF_8));
        update(crc, md.value(i).getBytes(StandardCharsets.UTF_8));
      }
    }
    long first = entries.isEmpty() ? 0 : entries.get(0).timestampNanos();
    long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).timestampNanos();
    return new EntryDigest(entries.size(), first, last, (int) crc.getValue(), raw);
  }

  private static void update(CRC32C crc, byte[] bytes) {
    int n = bytes.length;
    crc.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    crc.update(bytes);
  }
}
