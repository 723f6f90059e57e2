package io.fjord.ingester.replay;

/**
 * What one partition's stream task replays before it processes live records: offsets
 * {@code [start, end)}, read with a plain consumer; the task then appends only live records at
 * offsets {@code >= end} (the hand-over: records below {@code end} were replayed, or lie below the
 * replay start because they are flushed). Immutable; {@link #of} is pure.
 *
 * @param start the first offset to replay
 * @param end the offset the task resumes from, exclusive end of the replay; {@code end >= start}
 * @param checkpoint the checkpoint the start comes from: the task skips the records it says are
 *     flushed, in the replay and live
 */
public record ReplayPlan(int partition, long start, long end, ReplayCheckpoint checkpoint) {
  public ReplayPlan {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad replay range [" + start + ", " + end + ") of partition " + partition);
    }
    checkpoint = checkpoint != null ? checkpoint : ReplayCheckpoint.none(partition);
  }

  /** A plan without a checkpoint. */
  public ReplayPlan(int partition, long start, long end) {
    this(partition, start, end, null);
  }

  /** Nothing to replay and nothing to hold back (the task reads everything live). */
  public static ReplayPlan none(int partition) {
    return new ReplayPlan(partition, 0, 0, null);
  }

  /**
   * The plan from the offsets Kafka reports when the task starts.
   *
   * @param replayStart the oldest unflushed offset ({@link ReplayStart})
   * @param committed the group's committed offset (where the task resumes), or -1 when it has none:
   *     the task then starts from the log start (auto.offset.reset=earliest) and replays nothing
   * @param logStart the partition's log start offset (retention may have removed older records)
   * @param logEnd the partition's log end offset
   */
  public static ReplayPlan of(int partition, long replayStart, long committed, long logStart, long logEnd) {
    return of(partition, new ReplayCheckpoint(partition, Math.max(replayStart, 0), 0, java.util.Map.of()), committed,
        logStart, logEnd);
  }

  /**
   * The plan from the partition's checkpoint and the offsets Kafka reports. When the committed
   * offset lags behind the checkpoint (the checkpoint was written after the last commit), nothing
   * is replayed and the task skips, live, the records below the checkpoint's offset.
   */
  public static ReplayPlan of(int partition, ReplayCheckpoint checkpoint, long committed, long logStart,
      long logEnd) {
    long start = Math.max(Math.max(checkpoint.replayFrom(), logStart), 0);
    if (committed < 0) {
      return new ReplayPlan(partition, start, start, checkpoint);
    }
    // a committed offset past the log end (a truncated log) resumes, after the consumer's reset, below it
    return new ReplayPlan(partition, start, Math.max(start, Math.min(committed, logEnd)), checkpoint);
  }

  /** Offsets to read; the plan is empty when there are none. */
  public long length() {
    return end - start;
  }

  public boolean isEmpty() {
    return end == start;
  }

  @Override
  public String toString() {
    return "partition " + partition + " [" + start + ", " + end + ")";
  }
}
