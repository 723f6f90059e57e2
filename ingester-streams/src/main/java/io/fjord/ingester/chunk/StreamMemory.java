package io.fjord.ingester.chunk;

import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordView;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All in-memory data of one stream: its chunks (all sealed but the last), each a list of compressed
 * blocks plus, for the open chunk, a head of raw entries.
 *
 * <p>Rules: entries are kept sorted by timestamp; an out-of-order entry is inserted in the head at
 * its place (after entries with the same timestamp, so those keep arrival order). If it is older
 * than entries already sealed into blocks it still goes into the head, so blocks may overlap in
 * time; readers merge. An entry with the same timestamp and line as one already held (in the head
 * or in a block whose time bounds cover it) is a duplicate, from a Kafka redelivery or a client
 * retry, and is dropped. An entry older than the stream's newest entry by more than
 * {@code max_chunk_age / 2} is refused (counted as too far behind, as Loki does).
 *
 * <p>Life cycle of a chunk: open → sealed (full, idle, too old, or forced at close; a full chunk is
 * sealed at the end of the record that filled it, so every record's entries are in one chunk and a
 * chunk covers a range of record offsets) → flushed ({@link SealedChunk#markFlushed}, by a flush
 * thread, once its object and index entry are written) → dropped after the retain period
 * ({@link #dropFlushed}). Newly sealed chunks are handed out once by {@link #takeSealed}.
 *
 * <p>The head keeps entries in arrays with their lines as UTF-8 bytes ({@link Head}): a line is
 * encoded once, when appended, and the block cut copies those bytes.
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
  /** The last record offset of the newest flushed chunk; -1 when none is flushed. */
  private long flushedThroughOffset = -1;
  /** Writer-only: the newest timestamp ever appended (never lowered by drops), for the out-of-order window. */
  private long newestTs = Long.MIN_VALUE;
  /** Writer-only: chunks sealed since the last {@link #takeSealed}. */
  private final List<MemoryChunk> newlySealed = new ArrayList<>();
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
    return append(LogRecordView.of(key.tenant(), key.labels(), entries), offset, nowMillis);
  }

  /**
   * Appends the entries of one logs-topic record, read in place from the record's bytes (the line
   * bytes are copied once, into the head). Writer only.
   *
   * @param offset the record's Kafka offset, remembered as the first unflushed one if none is held
   * @param nowMillis wall-clock time, for the chunk's idle and age bookkeeping
   */
  public AppendResult append(LogRecordView entries, long offset, long nowMillis) {
    int appended = 0;
    int duplicates = 0;
    int behind = 0;
    long behindBytes = 0;
    long window = settings.maxAge().toNanos() / 2;
    Map<Block, EntryRun> decoded = null;
    MemoryChunk chunk = null;
    for (int i = 0, n = entries.size(); i < n; i++) {
      long ts = entries.timestampNanos(i);
      byte[] lineArray = entries.lineArray(i);
      int lineOffset = entries.lineOffset(i);
      int lineLength = entries.lineLength(i);
      if (newestTs != Long.MIN_VALUE && ts < newestTs - window) {
        behind++;
        behindBytes += lineLength;
        continue;
      }
      if (ts >= sealedMinTs && ts <= sealedMaxTs) {
        if (decoded == null) {
          decoded = new IdentityHashMap<>();
        }
        if (inBlocks(ts, entries.line(i), decoded)) {
          duplicates++;
          continue;
        }
      }
      synchronized (lock) {
        chunk = openChunk(nowMillis);
        int at = chunk.head.upperBound(ts);
        if (chunk.head.contains(at, ts, lineArray, lineOffset, lineLength)) {
          duplicates++;
          continue;
        }
        chunk.head.insert(at, ts, lineArray, lineOffset, lineLength, entries.metadata(i));
        chunk.headLineBytes += lineLength;
        chunk.entries++;
        chunk.minTs = Math.min(chunk.minTs, ts);
        chunk.maxTs = Math.max(chunk.maxTs, ts);
        chunk.lastAppendMillis = nowMillis;
        if (chunk.firstOffset < 0) {
          chunk.firstOffset = offset;
        }
        chunk.lastOffset = Math.max(chunk.lastOffset, offset);
        minTs = Math.min(minTs, ts);
        maxTs = Math.max(maxTs, ts);
        entryCount++;
      }
      newestTs = Math.max(newestTs, ts);
      appended++;
      if (settings.headFull(chunk.headLineBytes)) {
        cutHead(chunk);
      }
    }
    // a full chunk is sealed only once the whole record is in it, so that chunks split the log at
    // record boundaries and the flushed-through offset of a stream is exact
    if (chunk != null && chunk.isOpen() && settings.chunkFull(chunk.compressedBytes)) {
      seal(chunk, SealReason.FULL);
    }
    return new AppendResult(appended, duplicates, behind, behindBytes);
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
      seal(open, reason);
    }
    return reason;
  }

  /** Seals the open chunk whatever its state (the partition's task is closing). Writer only. */
  public boolean sealOpen(SealReason reason) {
    MemoryChunk open = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
    if (open == null || !open.isOpen()) {
      return false;
    }
    seal(open, reason);
    return true;
  }

  private void seal(MemoryChunk chunk, SealReason reason) {
    cutHead(chunk);
    synchronized (lock) {
      chunk.sealed = reason;
    }
    newlySealed.add(chunk);
  }

  /** The chunks sealed since the last call, oldest first, each handed out once. Writer only. */
  public List<SealedChunk> takeSealed() {
    if (newlySealed.isEmpty()) {
      return List.of();
    }
    List<SealedChunk> out = new ArrayList<>(newlySealed.size());
    for (MemoryChunk c : newlySealed) {
      out.add(new SealedChunk(this, c, List.copyOf(c.blocks)));
    }
    newlySealed.clear();
    return out;
  }

  /** Records the object key {@code chunk} will be stored under. Any thread (a flush thread). */
  void encodedAs(MemoryChunk chunk, String objectKey) {
    synchronized (lock) {
      chunk.objectKey = objectKey;
    }
  }

  /** Records that {@code chunk} is in the store under {@code objectKey}. Any thread (a flush thread). */
  void markFlushed(MemoryChunk chunk, String objectKey, long nowMillis) {
    synchronized (lock) {
      chunk.objectKey = objectKey;
      chunk.flushedKey = objectKey;
      chunk.flushedAtMillis = nowMillis;
      flushedThroughOffset = Math.max(flushedThroughOffset, chunk.lastOffset);
    }
  }

  String flushedKey(MemoryChunk chunk) {
    synchronized (lock) {
      return chunk.flushedKey;
    }
  }

  /**
   * Drops the flushed chunks that have been flushed for at least {@code retainMillis}: queries no
   * longer see them here (the querier reads them from the store). Writer only. Returns how many.
   */
  public int dropFlushed(long nowMillis, long retainMillis) {
    synchronized (lock) {
      int before = chunks.size();
      chunks.removeIf(c -> c.flushedKey != null && nowMillis - c.flushedAtMillis >= retainMillis);
      int dropped = before - chunks.size();
      if (dropped > 0) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long n = 0;
        for (MemoryChunk c : chunks) {
          min = Math.min(min, c.minTs);
          max = Math.max(max, c.maxTs);
          n += c.entries;
        }
        minTs = min;
        maxTs = max;
        entryCount = n;
      }
      return dropped;
    }
  }

  /** Compresses the head of {@code chunk} into a block (outside the lock) and swaps it in. Writer only. */
  private void cutHead(MemoryChunk chunk) {
    if (chunk.head.isEmpty()) {
      return;
    }
    Block block = BlockCodec.encode(chunk.head.detach());
    synchronized (lock) {
      chunk.addBlock(block);
      chunk.head.clear();
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
    return snapshot(start, end, Set.of());
  }

  /**
   * As {@link #snapshot(long, long)}, leaving out the flushed chunks whose object key is in
   * {@code excludeChunks} (the querier read them from the store). Any thread.
   */
  public StreamSnapshot snapshot(long start, long end, Set<String> excludeChunks) {
    List<Block> blocks = new ArrayList<>();
    List<HeadRun> heads = new ArrayList<>(1);
    synchronized (lock) {
      if (minTs >= end || maxTs < start) {
        return new StreamSnapshot(List.of(), HeadRun.EMPTY);
      }
      for (MemoryChunk c : chunks) {
        // by the key known since the encoding: a querier that lists it has read it from the index,
        // so the object is stored even if the flush has not marked the chunk flushed yet
        if (c.objectKey != null && excludeChunks.contains(c.objectKey)) {
          continue;
        }
        for (Block b : c.blocks) {
          if (b.overlaps(start, end)) {
            blocks.add(b);
          }
        }
        if (!c.head.isEmpty()) {
          HeadRun run = c.head.run(c.head.lowerBound(start), c.head.lowerBound(end));
          if (run.size() > 0) {
            heads.add(run);
          }
        }
      }
    }
    return new StreamSnapshot(blocks, heads.isEmpty() ? HeadRun.EMPTY : HeadRun.concat(heads));
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
      for (MemoryChunk c : chunks) {
        if (c.flushedKey == null && c.firstOffset >= 0) {
          return c.firstOffset;
        }
      }
      return -1;
    }
  }

  /** The last record offset of the newest flushed chunk (kept after the chunk is dropped); -1 if none. Any thread. */
  public long flushedThroughOffset() {
    synchronized (lock) {
      return flushedThroughOffset;
    }
  }

  /** Whether the stream holds no chunk at all (every chunk flushed and dropped, or none yet). Any thread. */
  public boolean isEmpty() {
    synchronized (lock) {
      return chunks.isEmpty();
    }
  }

  /** Chunk statistics, oldest first, for tests, metrics and (next) the flush. Any thread. */
  public List<ChunkInfo> chunks() {
    synchronized (lock) {
      List<ChunkInfo> out = new ArrayList<>(chunks.size());
      for (MemoryChunk c : chunks) {
        out.add(new ChunkInfo(c.blocks.size(), c.head.size(), c.entries, c.minTs, c.maxTs, c.compressedBytes,
            c.sealed, c.firstOffset, c.lastOffset, c.flushedKey));
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
   * @param firstOffset the offset of the first record with an entry in it
   * @param lastOffset the offset of the last record with an entry in it
   * @param flushedKey its object key once flushed, else {@code null}
   */
  public record ChunkInfo(int blocks, int headEntries, int entries, long minTs, long maxTs, long compressedBytes,
      SealReason sealed, long firstOffset, long lastOffset, String flushedKey) {}
}
