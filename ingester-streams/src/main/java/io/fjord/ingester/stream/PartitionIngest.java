package io.fjord.ingester.stream;

import io.fjord.ingester.chunk.AppendResult;
import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.chunk.SealReason;
import io.fjord.ingester.chunk.SealedChunk;
import io.fjord.ingester.chunk.StreamKey;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.ingester.index.StreamIndex;
import io.fjord.ingester.replay.ReplayCheckpoint;
import io.fjord.ingester.replay.ReplayCheckpoint.StreamId;
import io.fjord.store.ChunkKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.RecordFormatException;
import io.fjord.schemas.record.LogRecordView;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one path from a logs-topic record to a partition's memory, taken by live records and by
 * replayed ones alike: decode the value, validate the stream, refuse a new stream past the tenant's
 * stream limit ({@link StreamLimit}), seal the stream's open chunk if it is due at the record's
 * arrival time, append the entries; and keep the partition's index in step with memory
 * ({@link #syncIndex}). It reports what it did ({@link IngestOutcome}); what becomes of
 * a refused record is the caller's business (live: dead-lettered; replay: skipped, because it was
 * dead-lettered when it first arrived).
 *
 * <p>Why seal on append: the punctuator seals idle and old chunks between records, and replay has
 * no punctuator. Checking the stream's open chunk against the arrival time before each append
 * makes the same decision at the same point of the log in both paths, so replay cuts and seals
 * chunks where the live path did (the live path's arrival time is the wall clock when it processes
 * the record, replay's the record's Kafka timestamp, which is when the record was produced: equal
 * to within the processing lag).
 *
 * <p>Replay applies the stream limit too, with the limit configured now: with an unchanged limit
 * it admits exactly the streams the live path admitted (streams are admitted in log order), and a
 * tenant cannot get around the limit by waiting for a restart. (After the limit is lowered, a
 * replay admits only the first streams up to the new limit.)
 *
 * <p>Flush: every chunk sealed here (full at the end of a record, idle or old before an append or
 * on the punctuator, forced at close) is handed to {@code sealed} (the flush queue) once. Records
 * the partition's {@link ReplayCheckpoint} says are flushed are skipped, in replay and live. A
 * tenant that cannot name an object key (e.g. one starting with ".fjord") is refused: its chunks
 * could never be flushed.
 *
 * <p>Not thread-safe: used by the partition's stream task only, the single writer of its memory and
 * index.
 */
final class PartitionIngest {
  private final PartitionMemory memory;
  private final StreamIndex index;
  /** The most streams one tenant may have in this partition. */
  private final int streamLimit;
  /** Streams appended to since the last {@link #syncIndex}, each once. */
  private final Map<StreamMemory, Boolean> touched = new IdentityHashMap<>();
  private final List<StreamMemory> toSync = new ArrayList<>();
  private final Consumer<SealedChunk> sealed;
  /** Tenants already found able to name an object key. */
  private final Set<String> storableTenants = new HashSet<>();
  /** What the partition's checkpoint says is flushed. */
  private ReplayCheckpoint flushed;
  /** Flushed-through offsets of streams removed from memory, for the checkpoint; pruned below its start. */
  private final HashMap<StreamId, Long> removedFlushed = new HashMap<>();
  /** No record past this offset is flushed according to {@link #flushed}: the common case skips the lookup. */
  private long flushedUpTo = -1;

  PartitionIngest(PartitionMemory memory, StreamIndex index, int streamLimit, Consumer<SealedChunk> sealed) {
    this.memory = memory;
    this.index = index;
    this.streamLimit = streamLimit;
    this.sealed = sealed;
    this.flushed = ReplayCheckpoint.none(memory.partition());
  }

  /** Skips, from now on, the records {@code checkpoint} says are flushed. */
  void skipFlushed(ReplayCheckpoint checkpoint) {
    this.flushed = checkpoint;
    long upTo = checkpoint.replayFrom() - 1;
    for (long through : checkpoint.flushedThrough().values()) {
      upTo = Math.max(upTo, through);
    }
    this.flushedUpTo = upTo;
  }

  /**
   * Ingests one record.
   *
   * @param value the record's value as read from Kafka, possibly null
   * @param offset the record's offset, remembered per stream for replay
   * @param arrivalMillis when the record arrived, for the chunks' idle and age bookkeeping
   */
  IngestOutcome ingest(byte[] value, long offset, long arrivalMillis) {
    if (value == null) {
      return IngestOutcome.refused(DeadLetterReason.NO_VALUE, "record has no value");
    }
    LogRecordView batch;
    try {
      batch = LogRecordCodec.decodeView(value);
    } catch (RecordFormatException e) {
      return IngestOutcome.refused(DeadLetterReason.UNREADABLE_RECORD, "unreadable record: " + e.getMessage());
    }
    String problem = StreamValidator.problem(batch.tenant(), batch.labels());
    if (problem != null) {
      return IngestOutcome.refused(DeadLetterReason.INVALID_STREAM, problem);
    }
    if (!storableTenants.contains(batch.tenant())) {
      try {
        ChunkKey.tenantPrefix(batch.tenant());
      } catch (IllegalArgumentException e) {
        return IngestOutcome.refused(DeadLetterReason.UNSTORABLE_TENANT, "tenant cannot be stored: " + e.getMessage());
      }
      storableTenants.add(batch.tenant());
    }
    if (batch.isEmpty()) {
      return IngestOutcome.EMPTY;
    }
    StreamKey key = StreamKey.of(batch.tenant(), batch.labels());
    if (offset <= flushedUpTo && flushed.flushed(key.tenant(), key.fingerprint(), offset)) {
      return IngestOutcome.FLUSHED;
    }
    StreamMemory stream = memory.get(key);
    if (stream == null) {
      if (memory.streamCount(key.tenant()) >= streamLimit) {
        return IngestOutcome.refused(DeadLetterReason.STREAM_LIMIT, StreamLimit.message(key.tenant()));
      }
      stream = memory.create(key);
    }
    stream.sealIfDue(arrivalMillis);
    AppendResult result = stream.append(batch, offset, arrivalMillis);
    handOff(stream);
    if (touched.put(stream, Boolean.TRUE) == null) {
      toSync.add(stream);
    }
    return IngestOutcome.of(batch.tenant(), result);
  }

  private void handOff(StreamMemory stream) {
    for (SealedChunk c : stream.takeSealed()) {
      sealed.accept(c);
    }
  }

  /** Writes what changed in memory since the last call to the index: new streams, grown time ranges. */
  void syncIndex() {
    for (int i = 0, n = toSync.size(); i < n; i++) {
      StreamMemory s = toSync.get(i);
      StreamKey k = s.key();
      switch (s.takeIndexChange()) {
        case NEW -> index.add(k.tenant(), k.fingerprint(), k.labels(), s.minTs(), s.maxTs());
        case RANGE -> index.updateRange(k.tenant(), k.fingerprint(), k.labels(), s.minTs(), s.maxTs());
        case NONE -> { }
      }
      touched.remove(s); // not clear(): that would sweep the whole table after every live record
    }
    toSync.clear();
  }

  /** Seals every open chunk that is full, idle or too old at {@code nowMillis}. */
  void sealDue(long nowMillis) {
    for (StreamMemory stream : memory.streams()) {
      stream.sealIfDue(nowMillis);
      handOff(stream);
    }
  }

  /** Seals every open chunk (the task is closing) and hands them to the flush. */
  void sealAll() {
    for (StreamMemory stream : memory.streams()) {
      stream.sealOpen(SealReason.FORCED);
      handOff(stream);
    }
  }

  /**
   * Drops the chunks flushed at least {@code retainMillis} ago, and the streams left without any
   * chunk (from memory and the index: they no longer count under the stream limit; a later record
   * starts them again); returns how many chunks were dropped.
   */
  int dropFlushed(long nowMillis, long retainMillis) {
    syncIndex();
    int n = 0;
    for (StreamMemory stream : memory.streams()) {
      int dropped = stream.dropFlushed(nowMillis, retainMillis);
      n += dropped;
      if (dropped > 0 && stream.isEmpty()) {
        StreamKey k = stream.key();
        memory.remove(stream);
        index.remove(k.tenant(), k.fingerprint(), k.labels());
        long through = stream.flushedThroughOffset();
        if (through >= 0) {
          removedFlushed.merge(new StreamId(k.tenant(), k.fingerprint()), through, Math::max);
        }
      }
    }
    return n;
  }

  /**
   * The partition's checkpoint now: replay from the oldest unflushed record held, or from
   * {@code nextOffset} when none is held; and the flushed-through offset of every stream with
   * flushed records at or after that, from memory and from the checkpoint this task started with
   * (a stream whose records were all skipped has no memory here).
   */
  ReplayCheckpoint checkpoint(long nextOffset, long nowMillis) {
    long from = memory.replayOffset();
    if (from < 0) {
      from = Math.max(nextOffset, flushed.replayFrom());
    }
    HashMap<StreamId, Long> through = new HashMap<>();
    for (StreamMemory stream : memory.streams()) {
      long f = stream.flushedThroughOffset();
      if (f >= from) {
        // two streams whose fingerprints collide share an entry: the smaller offset skips less
        through.merge(new StreamId(stream.key().tenant(), stream.key().fingerprint()), f, Math::min);
      }
    }
    for (var e : flushed.flushedThrough().entrySet()) {
      if (e.getValue() >= from) {
        through.merge(e.getKey(), e.getValue(), Math::max);
      }
    }
    final long start = from;
    removedFlushed.values().removeIf(offset -> offset < start);
    removedFlushed.forEach((id, offset) -> through.merge(id, offset, Math::max));
    return new ReplayCheckpoint(memory.partition(), from, nowMillis, through);
  }
}
