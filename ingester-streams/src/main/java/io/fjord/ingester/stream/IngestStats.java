package io.fjord.ingester.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the ingest path across all partitions of one instance: records, entries stored,
 * duplicates dropped, dead letters by reason, dead-letter writes that failed. Thread-safe.
 */
public final class IngestStats {
  private final LongAdder records = new LongAdder();
  private final LongAdder entries = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder deadLetterWriteFailures = new LongAdder();
  private final Map<DeadLetterReason, AtomicLong> deadLetters = new EnumMap<>(DeadLetterReason.class);

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
}
