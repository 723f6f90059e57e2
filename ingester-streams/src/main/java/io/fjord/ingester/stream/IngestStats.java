package io.fjord.ingester.stream;

import io.fjord.ingester.replay.ReplayReport;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the ingest path across all partitions of one instance: live records, entries stored,
 * duplicates dropped, dead letters by reason, dead-letter writes that failed; and of replay:
 * partitions replayed, records, value bytes and entries read back, records skipped (refused when
 * they first arrived), and live records held back by the hand-over because replay had read them.
 * Thread-safe.
 */
public final class IngestStats {
  private final LongAdder records = new LongAdder();
  private final LongAdder entries = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder deadLetterWriteFailures = new LongAdder();
  private final Map<DeadLetterReason, AtomicLong> deadLetters = new EnumMap<>(DeadLetterReason.class);
  private final LongAdder replays = new LongAdder();
  private final LongAdder replayedRecords = new LongAdder();
  private final LongAdder replayedBytes = new LongAdder();
  private final LongAdder replayedEntries = new LongAdder();
  private final LongAdder replaySkipped = new LongAdder();
  private final LongAdder replayNanos = new LongAdder();
  /** System.nanoTime of the first replay's start and of the last replay's end; 0 before any. */
  private final AtomicLong firstReplayStart = new AtomicLong();
  private final AtomicLong lastReplayEnd = new AtomicLong();
  private final LongAdder handOverSkipped = new LongAdder();
  private final LongAdder flushedSkipped = new LongAdder();
  /** Per tenant: entries and line bytes refused as too far behind (out-of-order window). */
  private final java.util.concurrent.ConcurrentHashMap<String, LongAdder[]> tooFarBehind =
      new java.util.concurrent.ConcurrentHashMap<>();

  public IngestStats() {
    for (DeadLetterReason r : DeadLetterReason.values()) {
      deadLetters.put(r, new AtomicLong());
    }
  }

  void record(int appended, int dropped) {
    records.increment();
    entries.add(appended);
    duplicates.add(dropped);
  }

  void deadLetter(DeadLetterReason reason) {
    deadLetters.get(reason).incrementAndGet();
  }

  void replayed(ReplayReport report) {
    replays.increment();
    replayedRecords.add(report.records());
    replayedBytes.add(report.bytes());
    replayedEntries.add(report.entries());
    replaySkipped.add(report.skipped());
    replayNanos.add(report.nanos());
    long end = System.nanoTime();
    long start = end - report.nanos();
    firstReplayStart.accumulateAndGet(start, (a, b) -> a == 0 ? b : Math.min(a, b));
    lastReplayEnd.accumulateAndGet(end, (a, b) -> a == 0 ? b : Math.max(a, b));
  }

  void tooFarBehind(String tenant, int entries, long bytes) {
    LongAdder[] a = tooFarBehind.computeIfAbsent(tenant, t -> new LongAdder[] {new LongAdder(), new LongAdder()});
    a[0].add(entries);
    a[1].add(bytes);
  }

  void skippedAsFlushed() {
    flushedSkipped.increment();
  }

  /** Tenants that had entries refused as too far behind. */
  public java.util.Set<String> tooFarBehindTenants() {
    return java.util.Set.copyOf(tooFarBehind.keySet());
  }

  /** Entries of {@code tenant} refused as older than their stream's newest entry minus max_chunk_age/2. */
  public long tooFarBehind(String tenant) {
    LongAdder[] a = tooFarBehind.get(tenant);
    return a == null ? 0 : a[0].sum();
  }

  /** Line bytes of those entries. */
  public long tooFarBehindBytes(String tenant) {
    LongAdder[] a = tooFarBehind.get(tenant);
    return a == null ? 0 : a[1].sum();
  }

  /** Records skipped (live or in replay) because the partition's checkpoint says they are flushed. */
  public long skippedAsFlushedCount() {
    return flushedSkipped.sum();
  }

  void skippedByHandOver() {
    handOverSkipped.increment();
  }

  void deadLetterWriteFailed() {
    deadLetterWriteFailures.increment();
  }

  public long records() {
    return records.sum();
  }

  public long entries() {
    return entries.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  public long deadLetters(DeadLetterReason reason) {
    return deadLetters.get(reason).get();
  }

  public long deadLetters() {
    return deadLetters.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long deadLetterWriteFailures() {
    return deadLetterWriteFailures.sum();
  }

  /** Partitions whose replay finished. */
  public long replays() {
    return replays.sum();
  }

  /** Records read back by replays (skipped ones included). */
  public long replayedRecords() {
    return replayedRecords.sum();
  }

  /** Value bytes read back by replays. */
  public long replayedBytes() {
    return replayedBytes.sum();
  }

  /** Entries put back in memory by replays. */
  public long replayedEntries() {
    return replayedEntries.sum();
  }

  /** Records replays skipped because they were refused (and dead-lettered) when they first arrived. */
  public long replaySkipped() {
    return replaySkipped.sum();
  }

  /** Time spent replaying, summed over partitions (replays on several stream threads overlap). */
  public long replayNanos() {
    return replayNanos.sum();
  }

  /** System.nanoTime when the first replay started; 0 before any replay finished. */
  public long firstReplayStartNanos() {
    return firstReplayStart.get();
  }

  /**
   * Wall-clock time from the start of the first replay to the end of the last one (replays on
   * several stream threads overlap, so this is less than {@link #replayNanos}); 0 before any.
   */
  public long replayWallNanos() {
    long start = firstReplayStart.get();
    return start == 0 ? 0 : lastReplayEnd.get() - start;
  }

  /** Live records not appended because they lie below the replay end (replay read them). */
  public long handOverSkipped() {
    return handOverSkipped.sum();
  }
}
