package io.fjord.querier.engine;

import java.util.List;

/** A metric range query's answer ({@code resultType: matrix}): series sorted by labels. Immutable. */
public record MatrixResult(List<MetricSeries> series, QueryStats stats) implements QueryResult {
  public MatrixResult {
    series = List.copyOf(series);
  }
}
