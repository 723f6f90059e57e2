package io.fjord.querier.engine;

/**
 * The answer to a query: {@link StreamsResult} for log queries; {@link MatrixResult} for metric
 * range queries; {@link VectorResult} or {@link ScalarResult} for instant queries. Immutable.
 */
public sealed interface QueryResult permits StreamsResult, MatrixResult, VectorResult, ScalarResult {
  QueryStats stats();
}
