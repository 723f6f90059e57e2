package io.fjord.ingester.replay;

/**
 * Receives the records a {@link ReplaySource} reads, in offset order. Called on the replaying task's
 * thread only.
 */
public interface ReplaySink {
  /**
   * One logs-topic record.
   *
   * @param timestampMillis the record's Kafka timestamp
   * @param value its value, possibly {@code null} or unreadable (the sink decides)
   */
  void record(long offset, long timestampMillis, byte[] value);

  /** The records of one fetch have all been passed; a good moment to publish progress. */
  void batchEnd();
}
