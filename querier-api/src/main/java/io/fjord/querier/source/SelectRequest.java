package io.fjord.querier.source;

import java.util.List;
import java.util.Objects;

/**
 * A log query as a source sees it: the tenants it covers, the LogQL log query (selector and
 * pipeline) as text, the range {@code startNanos <= ts < endNanos}, and the first {@code limit}
 * entries wanted in {@code direction}. Immutable.
 */
public record SelectRequest(List<String> tenants, String query, long startNanos, long endNanos, int limit,
    Direction direction) {
  public SelectRequest {
    tenants = List.copyOf(tenants);
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(direction, "direction");
  }
}
