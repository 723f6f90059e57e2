package io.fjord.querier.source;

import io.fjord.schemas.labels.Labels;
import java.util.Objects;

/** One series (a stream's label set) of a tenant. Immutable. */
public record TenantSeries(String tenant, Labels labels) {
  public TenantSeries {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(labels, "labels");
  }
}
