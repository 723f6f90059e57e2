package io.fjord.ingester.chunk;

import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import io.fjord.schemas.text.Utf8;

/**
 * All in-memory data of one stream: its chunks (all sealed but the last), each a list of compressed
 * blocks plus, for the open chunk, a head of raw entries.
 *
 * <p>Rules: entries are kept sorted by timestamp; an out-of-order entry is inserted in the head at
 * its place (after entries with the same timestamp, so those keep arrival order). If it is older
 * than entries already sealed into blocks it still goes into the head, so blocks may overlap in
 * time; readers merge. An entry with the same timestamp and line as one already held (in the head
 * or in a block whose time bounds cover it) is a duplicate, from a Kafka redelivery or a client
 * retry, and is dropped.
 *
 * <p>Thread-safety: a single writer (the stream task that owns the partition) calls
 * {@link #append} and {@link #sealIfDue}; any number of readers call {@link #snapshot} and the
 * getters. Every mutation happens under a per-stream lock that is held briefly (no compression
 * under it); readers take the same lock to copy the block list and the head slice they need, so each
 * reader sees a consistent snapshot. The writer may read its own structures without the lock.
 */
public final class StreamMemory {
  private final StreamKey key;
  private final ChunkSettings settings;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}; the last chunk is the open one when it is open. */
  private final List<MemoryChunk> chunks = new ArrayList<>();
  /** Guarded by {@link #lock}. */
  private long minTs = Long.MAX_VALUE;
  private long maxTs = Long.MIN_VALUE;
  private long entryCount;
  private long firstUnflushedOffset = -1;
  /** Writer-only: bounds over all sealed blocks, to skip the block duplicate check for new entries. */
  private long sealedMinTs = Long.MAX_VALUE;
  private long sealedMaxTs = Long.MIN_VALUE;
  /** Writer-only: the time range last written to the index. */
  private long indexedMinTs = Long.MAX_VALUE;
  private long indexedMaxTs = Long.MIN_VALUE;

  public StreamMemory(StreamKey key, ChunkSettings settings) {
    this.key = key;
    this.settings = settings;
  }

  public StreamKey key() {
    return key;
  }

  /**
   * Appends the entries of one logs-topic record. Writer only.
   *
   * @param offset the record's Kafka offset, remembered as the first unflushed one if none is held
   * @param nowMillis wall-clock time, for the chunk's idle and age bookkeeping
   */
  public AppendResult append(List<LogEntry> entries, long offset, long nowMillis) {
    int appended = 0;
    int duplicates = 0;
    Map<Block, EntryRun> decoded = null;
    for (LogEntry e : entries) {
      long ts = e.timestampNanos();
      if (ts >= sealedMinTs && ts <= sealedMaxTs) {
        if (decoded == null) {
          decoded = new IdentityHashMap<>();
        }
        if (inBlocks(ts, e.line(), decoded)) {
          duplicates++;
          continue;
        }
      }
      MemoryChunk chunk;
      synchronized (lock) {
        chunk = openChunk(nowMillis);
        int at = chunk.headUpperBound(ts);
        if (chunk.headContains(at, ts, e.line())) {
          duplicates++;
          continue;
        }
        chunk.head.add(at, e);
        chunk.headLineBytes += Utf8.length(e.line());
        chunk.entries++;
        chunk.minTs = Math.min(chunk.minTs, ts);
        chunk.maxTs = Math.max(chunk.maxTs, ts);
        chunk.lastAppendMillis = nowMillis;
        minTs = Math.min(minTs, ts);
        maxTs = Math.max(maxTs, ts);
        entryCount++;
        if (firstUnflushedOffset < 0) {
          firstUnflushedOffset = offset;
        }
      }
      appended++;
      if (settings.headFull(chunk.headLineBytes)) {
        cutHead(chunk);
        if (settings.chunkFull(chunk.compressedBytes)) {
          synchronized (lock) {
            chunk.sealed = SealReason.FULL;
          }
        }
      }
    }
    return new AppendResult(appended, duplicates);
  }

  /**
   * Seals the open chunk if it is full, idle or too old at {@code nowMillis}, cutting its head into
   * a last block. Writer only. Returns the reason, or {@code null} when nothing was sealed.
   */
  public SealReason sealIfDue(long nowMillis) {
    MemoryChunk open = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
    if (open == null || !open.isOpen()) {
      return null;
    }
    SealReason reason =
        settings.sealReason(open.compressedBytes, open.firstAppendMillis, open.lastAppendMillis, nowMillis);
    if (reason != null) {
      cutHead(open);
      synchronized (lock) {
        open.sealed = reason;
      }
    }
    return reason;
  }

  /** Compresses the head of {@code chunk} into a block (outside the lock) and swaps it in. Writer only. */
  private void cutHead(MemoryChunk chunk) {
    if (chunk.head.isEmpty()) {
      return;
    }
    Block block = BlockCodec.encode(chunk.head);
    synchronized (lock) {
      chunk.addBlock(block);
      chunk.head.clear();
      chunk.head.trimToSize();
      chunk.headLineBytes = 0;
    }
    sealedMinTs = Math.min(sealedMinTs, block.minTs());
    sealedMaxTs = Math.max(sealedMaxTs, block.maxTs());
  }

  private MemoryChunk openChunk(long nowMillis) {
    MemoryChunk last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
    if (last == null || !last.isOpen()) {
      last = new MemoryChunk(nowMillis);
      chunks.add(last);
    }
    return last;
  }

  /** Whether a sealed block holds this entry; decodes candidate blocks once per append. Writer only. */
  private boolean inBlocks(long ts, String line, Map<Block, EntryRun> decoded) {
    for (MemoryChunk c : chunks) {
      for (Block b : c.blocks) {
        if (b.covers(ts) && decoded.computeIfAbsent(b, Block::decode).contains(ts, line)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The blocks overlapping {@code [start, end)} and a copy of the head entries inside it. Any thread. */
  public StreamSnapshot snapshot(long start, long end) {
    List<Block> blocks = new ArrayList<>();
    List<LogEntry> head = new ArrayList<>();
    synchronized (lock) {
      if (minTs >= end || maxTs < start) {
        return new StreamSnapshot(List.of(), HeadRun.EMPTY);
      }
      for (MemoryChunk c : chunks) {
        for (Block b : c.blocks) {
          if (b.overlaps(start, end)) {
            blocks.add(b);
          }
        }
        if (!c.head.isEmpty()) {
          head.addAll(c.head.subList(c.headLowerBound(start), c.headLowerBound(end)));
        }
      }
    }
    return new StreamSnapshot(blocks, head.isEmpty() ? HeadRun.EMPTY : new HeadRun(head.toArray(LogEntry[]::new)));
  }

  /** The smallest timestamp held ({@link Long#MAX_VALUE} when empty). Any thread. */
  public long minTs() {
    synchronized (lock) {
      return minTs;
    }
  }

  /** The largest timestamp held ({@link Long#MIN_VALUE} when empty). Any thread. */
  public long maxTs() {
    synchronized (lock) {
      return maxTs;
    }
  }

  /** True when some entry lies in {@code [start, end)} according to the stream's bounds. Any thread. */
  public boolean overlaps(long start, long end) {
    synchronized (lock) {
      return minTs < end && maxTs >= start;
    }
  }

  public long entryCount() {
    synchronized (lock) {
      return entryCount;
    }
  }

  /** The offset of the oldest logs-topic record whose entries are held here and not flushed; -1 if none. */
  public long firstUnflushedOffset() {
    synchronized (lock) {
      return firstUnflushedOffset;
    }
  }

  /** Chunk statistics, oldest first, for tests, metrics and (next) the flush. Any thread. */
  public List<ChunkInfo> chunks() {
    synchronized (lock) {
      List<ChunkInfo> out = new ArrayList<>(chunks.size());
      for (MemoryChunk c : chunks) {
        out.add(new ChunkInfo(c.blocks.size(), c.head.size(), c.entries, c.minTs, c.maxTs, c.compressedBytes,
            c.sealed));
      }
      return out;
    }
  }

  /**
   * What changed for the index since the last call: the stream is new to it, its time range grew, or
   * nothing. Writer only.
   */
  public IndexChange takeIndexChange() {
    long min = minTs;
    long max = maxTs;
    if (min == indexedMinTs && max == indexedMaxTs) {
      return IndexChange.NONE;
    }
    boolean first = indexedMinTs == Long.MAX_VALUE && indexedMaxTs == Long.MIN_VALUE;
    indexedMinTs = min;
    indexedMaxTs = max;
    return first ? IndexChange.NEW : IndexChange.RANGE;
  }

  /**
   * A summary of one chunk. Immutable.
   *
   * @param sealed why it was sealed, or {@code null} while it is open
   */
  public record ChunkInfo(int blocks, int headEntries, int entries, long minTs, long maxTs, long compressedBytes,
      SealReason sealed) {}
}
