package io.fjord.store.index;

import io.fjord.schemas.chunk.BlockMeta;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkFormat;
import io.fjord.schemas.chunk.ChunkFooter;
import io.fjord.schemas.chunk.ChunkFormatException;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import java.nio.charset.StandardCharsets;
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
 * <p>Steps: read the whole object, stream its entries block by block into a new encoder with zstd at
 * the level (blocks cut at {@code compactor.recompress_block_size_mb}, larger than the flush's
 * because zstd finds more to reuse in a larger block, or at the old chunk's own block size when that
 * is 0; memory is the two objects and a block), decode the copy, and compare entry count, first and last timestamps and a CRC32C over every entry
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
    byte[] encode(String tenant, Labels labels, Iterator<LogEntry> entries, int blockSize, int zstdLevel);
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
  private final int blockSize;

  /** @param blockSize bytes at which copies are cut into blocks, or 0 for each chunk's own block size */
  ChunkRecompressor(ObjectStore store, int level, int blockSize, ByteRateLimiter limiter, Encoder encoder) {
    this.store = Objects.requireNonNull(store, "store");
    this.level = ChunkCodec.checkZstdLevel(level);
    if (blockSize < 0 || blockSize > ChunkFormat.MAX_BLOCK_RAW_SIZE) {
      throw new IllegalArgumentException("block size must be 0 or 1.." + ChunkFormat.MAX_BLOCK_RAW_SIZE + ": " + blockSize);
    }
    this.blockSize = blockSize;
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
    ChunkReader reader;
    try {
      reader = ChunkReader.of(ref.key(), old);
      footer = reader.footer();
    } catch (ChunkFormatException e) {
      return failed(ref, e.getMessage());
    }
    if (!footer.tenant().equals(ref.tenant()) || !footer.labels().equals(ref.labels())
        || footer.entries() != ref.entries()) {
      return failed(ref, "chunk does not match its index entry (tenant, labels or entry count)");
    }
    limiter.acquire(footer.rawLength());
    // entries stream from the old chunk's blocks into the encoder: one block decoded at a time
    Digester before = new Digester(reader.entries(ScanDirection.FORWARD));
    byte[] copy;
    try {
      copy = encoder.encode(footer.tenant(), footer.labels(), before, blockSize > 0 ? blockSize : blockSize(footer), level);
    } catch (ChunkFormatException e) {
      return failed(ref, e.getMessage());
    } catch (RuntimeException e) {
      return failed(ref, "could not encode the copy: " + e);
    }
    if (before.hasNext()) {
      return failed(ref, "the encoder did not take every entry");
    }
    if (copy.length >= old.length) {
      return new Kept(ref, "no smaller at zstd level " + level + " (" + copy.length + " >= " + old.length + " bytes)");
    }
    ChunkKey key;
    try {
      ChunkReader check = ChunkReader.of(ref.key() + " (recompressed copy)", copy);
      Digester after = new Digester(check.entries(ScanDirection.FORWARD));
      after.forEachRemaining(e -> {});
      if (!after.digest().equals(before.digest()) || !check.footer().tenant().equals(footer.tenant())
          || !check.footer().labels().equals(footer.labels())) {
        return failed(ref, "recompressed copy differs: " + after.digest() + " vs " + before.digest());
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
    return new Swapped(ref, new ChunkRef(key, ref.labels(), copy.length, ref.entries()), before.digest().rawBytes());
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
    return (int) Math.max(1, Math.min(min, ChunkFormat.MAX_BLOCK_RAW_SIZE));
  }

  /**
   * Passes entries through and adds them up as it goes: count, first and last timestamp, a CRC32C over
   * every entry (timestamp, line, metadata, each length-prefixed) and the bytes of the lines.
   */
  static final class Digester implements Iterator<LogEntry> {
    private final Iterator<LogEntry> in;
    private final CRC32C crc = new CRC32C();
    private final byte[] buf = new byte[8];
    private long count;
    private long first;
    private long last;
    private long raw;

    Digester(Iterator<LogEntry> in) {
      this.in = in;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public LogEntry next() {
      LogEntry e = in.next();
      long t = e.timestampNanos();
      if (count++ == 0) {
        first = t;
      }
      last = t;
      for (int i = 0; i < 8; i++) {
        buf[i] = (byte) (t >>> (56 - 8 * i));
      }
      crc.update(buf, 0, 8);
      byte[] line = e.line().getBytes(StandardCharsets.UTF_8);
      raw += line.length;
      update(line);
      Labels md = e.metadata();
      crc.update(md.size());
      for (int i = 0; i < md.size(); i++) {
        update(md.name(i).getBytes(StandardCharsets.UTF_8));
        update(md.value(i).getBytes(StandardCharsets.UTF_8));
      }
      return e;
    }

    EntryDigest digest() {
      return new EntryDigest(count, first, last, (int) crc.getValue(), raw);
    }

    private void update(byte[] bytes) {
      int n = bytes.length;
      buf[0] = (byte) (n >>> 24);
      buf[1] = (byte) (n >>> 16);
      buf[2] = (byte) (n >>> 8);
      buf[3] = (byte) n;
      crc.update(buf, 0, 4);
      crc.update(bytes);
    }
  }
}
