package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.RangeAggregationExpr;
import java.util.List;

/**
 * Where the evaluator gets the samples of a range aggregation: every series with samples in
 * {@code fromNanos <= ts < toNanos}, one {@link SeriesSamples} per distinct label set (parts of a
 * series from several places already merged). Implementations may be called once per range
 * aggregation of a query, from one thread.
 */
@FunctionalInterface
public interface SampleFetcher {
  /**
   * @param expr the range aggregation (its selector, pipeline, unwrap and grouping)
   * @param pushedGrouping when not null, the grouping to label samples with instead of the
   *     aggregation's own (an enclosing {@code sum by (...)} pushed down)
   */
  List<SeriesSamples> fetch(RangeAggregationExpr expr, Grouping pushedGrouping, long fromNanos, long toNanos);
}
