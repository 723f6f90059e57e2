package io.fjord.querier.engine;

import java.util.List;

/**
 * A metric instant query's answer ({@code resultType: vector}) at {@code timeNanos}: the samples
 * in the order to return them (by value after {@code sort}/{@code sort_desc}, else by labels).
 * Immutable.
 */
public record VectorResult(long timeNanos, List<VectorSample> samples, QueryStats stats) implements QueryResult {
  public VectorResult {
    samples = List.copyOf(samples);
  }
}
