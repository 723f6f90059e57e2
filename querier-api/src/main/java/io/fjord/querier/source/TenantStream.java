package io.fjord.querier.source;

import io.fjord.schemas.labels.Labels;
import java.util.List;
import java.util.Objects;

/**
 * One stream of a source's answer: the tenant it belongs to, its labels after the query's pipeline
 * (structured metadata included) and its entries in the asked direction. Immutable.
 */
public record TenantStream(String tenant, Labels labels, List<Entry> entries) {
  public TenantStream {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(labels, "labels");
    entries = List.copyOf(entries);
  }
}
