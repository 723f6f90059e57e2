package io.fjord.ingester.replay;

/**
 * Where the replay of a logs-topic partition begins: the oldest offset whose entries are not yet
 * flushed to the object store. Kafka is the write-ahead log, so everything from this offset up to
 * where the stream task resumes must be read again to rebuild the partition's memory chunks.
 *
 * <p>This is the one place that decides it. Nothing is flushed yet, so today every partition
 * replays from the start of what Kafka retains ({@link #logStart()}); the chunk-store issue backs
 * it with the durable per-partition "oldest unflushed offset" it records with each flush (the
 * minimum of {@code StreamMemory.firstUnflushedOffset} over the partition's streams, which the
 * ingester already tracks). Implementations must be thread-safe: tasks of several stream threads
 * ask concurrently.
 */
@FunctionalInterface
public interface ReplayStart {
  /** The partition's first offset to replay; anything below the log start offset means "from the log start". */
  long offset(int partition);

  /** Replay from the oldest retained record: right while nothing is ever flushed. */
  static ReplayStart logStart() {
    return partition -> 0L;
  }
}
