package io.fjord.ingester.index;

import io.fjord.schemas.labels.Labels;

/**
 * A stream as the index knows it: tenant, fingerprint, labels and the time range of its entries
 * ({@code minTs <= ts <= maxTs}, Unix ns). Immutable.
 */
public record IndexedSeries(String tenant, long fingerprint, Labels labels, long minTs, long maxTs) {

  /** True when the stream may have entries with {@code start <= ts < end}. */
  public boolean overlaps(long start, long end) {
    return minTs < end && maxTs >= start;
  }
}
