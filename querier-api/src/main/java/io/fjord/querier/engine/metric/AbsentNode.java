package io.fjord.querier.engine.metric;

import io.fjord.querier.engine.VectorSample;
import io.fjord.schemas.labels.Labels;
import java.util.List;

/**
 * {@code absent_over_time}: at evaluation time t, the one sample {@code 1} labelled with the
 * selector's equality matchers when no series has a sample in the window
 * {@code (t - offset - range, t - offset]}, else nothing. Single-threaded.
 */
final class AbsentNode implements VectorNode {
  private final long rangeNanos;
  private final long offsetNanos;
  private final Labels labels;
  private final List<SeriesSamples> series;
  private final int[] next;

  AbsentNode(long rangeNanos, long offsetNanos, Labels labels, List<SeriesSamples> series) {
    this.rangeNanos = rangeNanos;
    this.offsetNanos = offsetNanos;
    this.labels = labels;
    this.series = series;
    this.next = new int[series.size()];
  }

  @Override
  public List<VectorSample> next(long ts) {
    long windowEnd = ts - offsetNanos;
    long windowStart = windowEnd - rangeNanos;
    boolean present = false;
    for (int i = 0; i < series.size(); i++) {
      SeriesSamples s = series.get(i);
      int k = next[i];
      while (k < s.size() && s.timestamp(k) <= windowStart) {
        k++;
      }
      next[i] = k;
      present |= k < s.size() && s.timestamp(k) <= windowEnd;
    }
    return present ? List.of() : List.of(new VectorSample(labels, 1));
  }
}
