package io.fjord.querier.engine;

import io.fjord.common.config.LimitsConfig;

/**
 * How a query's work is split across cores: fetches are cut into time intervals of
 * {@code intervalNanos} ({@code split_queries_by_interval}; 0: not split), of which at most
 * {@code maxParallelism} ({@code max_query_parallelism}) run at once. Immutable.
 */
public record QuerySplit(long intervalNanos, int maxParallelism) {
  /** One fetch per range aggregation, as before splitting existed. */
  public static final QuerySplit NONE = new QuerySplit(0, 1);

  public QuerySplit {
    if (intervalNanos < 0) {
      throw new IllegalArgumentException("a split interval cannot be negative: " + intervalNanos);
    }
    if (maxParallelism < 1) {
      throw new IllegalArgumentException("max parallelism must be at least 1: " + maxParallelism);
    }
  }

  public static QuerySplit of(LimitsConfig limits) {
    return new QuerySplit(limits.splitQueriesByInterval().toNanos(), limits.maxQueryParallelism());
  }
}
