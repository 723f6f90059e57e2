package io.fjord.querier.source;

import io.fjord.schemas.labels.Labels;
import java.util.Objects;

/**
 * One series of samples a source returned: its tenant, its labels, and its samples (timestamps in
 * Unix nanoseconds, ascending, and their values, index by index). The arrays are owned by this
 * record once built: do not modify them. Immutable.
 */
public record TenantSamples(String tenant, Labels labels, long[] timestamps, double[] values) {
  public TenantSamples {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(labels, "labels");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(timestamps.length + " timestamps for " + values.length + " values");
    }
  }
}
