package io.fjord.querier.engine;

/**
 * The answer to a query: {@link StreamsResult} for log queries; the metric engine adds its matrix and
 * vector results here. Immutable.
 */
public sealed interface QueryResult permits StreamsResult {
  QueryStats stats();
}
