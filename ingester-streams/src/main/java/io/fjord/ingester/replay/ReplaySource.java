package io.fjord.ingester.replay;

/**
 * Where a stream task finds the records to replay: the plan for its partition (from
 * {@link ReplayStart} and Kafka's offsets) and the records themselves. {@link KafkaReplaySource}
 * reads the logs topic; tests pass their own. Implementations are thread-safe: tasks of several
 * stream threads replay concurrently, each its own partition.
 */
public interface ReplaySource {
  /** What {@code partition}'s task must replay before it processes live records. */
  ReplayPlan plan(int partition);

  /**
   * Passes every record of {@code plan} to {@code sink} in offset order, then returns. Offsets
   * that no longer exist (retention) or hold no record (transaction markers) are skipped.
   *
   * @throws ReplayAbortedException when the source is closed while reading
   */
  void read(ReplayPlan plan, ReplaySink sink);

  /** A source with nothing to replay: every task reads its partition live from where it resumes. */
  static ReplaySource none() {
    return new ReplaySource() {
      @Override
      public ReplayPlan plan(int partition) {
        return ReplayPlan.none(partition);
      }

      @Override
      public void read(ReplayPlan plan, ReplaySink sink) {}
    };
  }
}
