package io.fjord.querier.engine.metric;

/**
 * The evaluation times of a metric query: {@code start}, {@code start + step}, ... up to and
 * including {@code end} (Unix nanoseconds). An instant query is the grid of one time
 * ({@link #instant}). Immutable.
 */
public record StepGrid(long startNanos, long endNanos, long stepNanos) {
  public StepGrid {
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("end " + endNanos + " before start " + startNanos);
    }
    if (stepNanos <= 0 && endNanos != startNanos) {
      throw new IllegalArgumentException("step must be positive: " + stepNanos);
    }
  }

  public static StepGrid instant(long timeNanos) {
    return new StepGrid(timeNanos, timeNanos, 0);
  }

  /** The number of evaluation times. */
  public int size() {
    return stepNanos <= 0 ? 1 : Math.toIntExact((endNanos - startNanos) / stepNanos + 1);
  }

  /** The {@code i}-th evaluation time. */
  public long at(int i) {
    return startNanos + i * stepNanos;
  }
}
