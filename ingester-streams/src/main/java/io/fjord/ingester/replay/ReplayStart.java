package io.fjord.ingester.replay;

/**
 * Where the replay of a logs-topic partition begins and what it may skip: the partition's durable
 * {@link ReplayCheckpoint} (the oldest offset whose entries may not be flushed to the object store,
 * and per stream the offset its flushed chunks reach). Kafka is the write-ahead log, so everything
 * from that offset up to where the stream task resumes is read again to rebuild the partition's
 * memory chunks, except the records the checkpoint says are flushed.
 *
 * <p>{@link CheckpointStore} reads it from the object store; {@link #logStart()} (no checkpoint)
 * replays from the start of what Kafka retains. Implementations must be thread-safe: tasks of
 * several stream threads ask concurrently.
 */
@FunctionalInterface
public interface ReplayStart {
  /** The partition's checkpoint; {@link ReplayCheckpoint#none} when there is none. */
  ReplayCheckpoint checkpoint(int partition);

  /** Replay from the oldest retained record, skipping nothing. */
  static ReplayStart logStart() {
    return ReplayCheckpoint::none;
  }
}
