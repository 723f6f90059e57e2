package io.fjord.ingester.chunk;

import io.fjord.schemas.labels.Labels;
import java.nio.charset.StandardCharsets;

import io.fjord.logql.exec.EntryIterator;
import java.util.List;

/**
 * A sealed memory chunk as the flush sees it: whose it is, why it was sealed, its blocks (they
 * never change after the seal), and the offsets of the records it covers. {@link #entries()} walks
 * its entries in timestamp order (blocks may overlap in time: they are merged as queries merge
 * them); {@link #markFlushed} records that its object and index entry are written.
 *
 * <p>Thread-safe: made by the writer, handed to a flush thread; the only mutation,
 * {@link #markFlushed}, goes through the stream's lock.
 */
public final class SealedChunk {
  private final StreamMemory stream;
  private final MemoryChunk chunk;
  private final List<Block> blocks;
  private final SealReason reason;
  private final long compressedBytes;
  private final int entries;
  private final long firstOffset;
  private final long lastOffset;

  SealedChunk(StreamMemory stream, MemoryChunk chunk, List<Block> blocks) {
    this.stream = stream;
    this.chunk = chunk;
    this.blocks = blocks;
    this.reason = chunk.sealed;
    this.compressedBytes = chunk.compressedBytes;
    this.entries = chunk.entries;
    this.firstOffset = chunk.firstOffset;
    this.lastOffset = chunk.lastOffset;
  }

  public StreamKey key() {
    return stream.key();
  }

  public StreamMemory stream() {
    return stream;
  }

  public SealReason reason() {
    return reason;
  }

  /** The in-memory compressed size (what {@code chunk_target_size} and the unflushed bytes count). */
  public long compressedBytes() {
    return compressedBytes;
  }

  public int entryCount() {
    return entries;
  }

  public long firstOffset() {
    return firstOffset;
  }

  public long lastOffset() {
    return lastOffset;
  }

  /** A fresh walk over every entry, oldest first (equal timestamps in arrival order). */
  public EntryIterator entries() {
    return new EntryCursor(new StreamSnapshot(blocks, HeadRun.EMPTY), Long.MIN_VALUE, Long.MAX_VALUE, true);
  }

  /** Receives one entry of a chunk with its line as UTF-8 bytes {@code line[off, off + len)}. */
  @FunctionalInterface
  public interface EntryBytesSink {
    void entry(long ts, byte[] line, int off, int len, Labels metadata);
  }

  /**
   * Hands every entry to {@code sink}, in the order of {@link #entries()}, with its line as the
   * bytes the memory holds: the flush encodes them without a string per line. Blocks that follow
   * each other in time (the usual, in-order case) are read one after the other; otherwise the
   * entries go through the merge of {@link #entries()}.
   */
  public void forEachEntry(EntryBytesSink sink) {
    for (int b = 1; b < blocks.size(); b++) {
      if (blocks.get(b - 1).maxTs() >= blocks.get(b).minTs()) {
        EntryIterator it = entries();
        while (it.next()) {
          byte[] line = it.line().getBytes(StandardCharsets.UTF_8);
          sink.entry(it.ts(), line, 0, line.length, it.metadata());
        }
        return;
      }
    }
    for (Block block : blocks) {
      DecodedBlock run = BlockCodec.decodeBlock(block);
      for (int i = 0, n = run.size(); i < n; i++) {
        sink.entry(run.ts(i), run.body(), run.lineOffset(i), (int) run.lineBytes(i), run.metadata(i));
      }
    }
  }

  /**
   * Records the key the chunk is about to be stored under: from now on a query that excludes that
   * key leaves the chunk out (the querier only knows the key once the object is stored and indexed).
   */
  public void encodedAs(String objectKey) {
    stream.encodedAs(chunk, objectKey);
  }

  /** Records that the chunk is stored under {@code objectKey} and indexed. */
  public void markFlushed(String objectKey, long nowMillis) {
    stream.markFlushed(chunk, objectKey, nowMillis);
  }

  /** Whether {@link #markFlushed} has been called. */
  public boolean isFlushed() {
    return stream.flushedKey(chunk) != null;
  }

  @Override
  public String toString() {
    return "chunk of " + stream.key().tenant() + " " + stream.key().labels() + " (records " + firstOffset + ".."
        + lastOffset + ", " + entries + " entries, " + reason + ")";
  }
}
