package io.fjord.querier.engine;

import io.fjord.querier.source.Direction;
import java.util.Objects;

/**
 * A parsed {@code query_range} request: the LogQL text, the range {@code startNanos <= ts <
 * endNanos}, the entry limit and direction (log queries), the step (metric queries) and the interval
 * (log queries; 0 = every entry). Immutable.
 */
public record RangeQuery(String query, long startNanos, long endNanos, int limit, Direction direction,
    long stepNanos, long intervalNanos) {
  public RangeQuery {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(direction, "direction");
  }
}
