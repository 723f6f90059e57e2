package io.fjord.ingester.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * One chunk of a stream in memory: sealed compressed blocks, then (while the chunk is open) a head
 * of raw entries kept sorted by timestamp, equal timestamps in arrival order. Blocks are each
 * sorted; an out-of-order entry older than a sealed block goes into the head, so blocks and head
 * may overlap in time, and readers merge them by timestamp ({@link EntryCursor}). Once sealed it
 * holds blocks only (the head is cut at the seal) and never changes again, except for being marked
 * flushed. Every record's entries land in one chunk, so the chunk covers the records
 * {@code [firstOffset, lastOffset]} of its stream.
 *
 * <p>Not thread-safe: {@link StreamMemory} owns it and guards every access with its lock (the
 * writer may read without the lock, being the only one that mutates).
 */
final class MemoryChunk {
  final List<Block> blocks = new ArrayList<>();
  /** The raw entries not yet cut into a block (empty once sealed). */
  final Head head = new Head();
  long headLineBytes;
  long compressedBytes;
  int entries;
  long minTs = Long.MAX_VALUE;
  long maxTs = Long.MIN_VALUE;
  final long firstAppendMillis;
  long lastAppendMillis;
  SealReason sealed;
  /** Offsets of the first and last logs-topic record with an entry in this chunk; -1 before the first. */
  long firstOffset = -1;
  long lastOffset = -1;
  /**
   * The chunk's object key once the flush has encoded it (before the object is written): a querier
   * can only list it in {@code excludeChunks} after reading it from the index, that is after the
   * object was stored, so the chunk may be left out from then on; null before.
   */
  String objectKey;
  /** The object key once the chunk is in the store and the chunk index; null before. */
  String flushedKey;
  long flushedAtMillis;

  MemoryChunk(long nowMillis) {
    this.firstAppendMillis = nowMillis;
    this.lastAppendMillis = nowMillis;
  }

  boolean isOpen() {
    return sealed == null;
  }

  void addBlock(Block block) {
    blocks.add(block);
    compressedBytes += block.compressedSize();
  }
}
