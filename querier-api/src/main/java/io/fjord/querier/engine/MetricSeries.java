package io.fjord.querier.engine;

import io.fjord.schemas.labels.Labels;
import java.util.Objects;

/**
 * One series of a range query's matrix: its labels and its points, timestamps (Unix nanoseconds)
 * ascending with the value at each; steps without a value are absent, never zero-filled. The
 * arrays are owned by this record once built: do not modify them.
 */
public record MetricSeries(Labels labels, long[] timestampsNanos, double[] values) {
  public MetricSeries {
    Objects.requireNonNull(labels, "labels");
    if (timestampsNanos.length != values.length) {
      throw new IllegalArgumentException(timestampsNanos.length + " timestamps for " + values.length + " values");
    }
  }

  public int size() {
    return values.length;
  }
}
