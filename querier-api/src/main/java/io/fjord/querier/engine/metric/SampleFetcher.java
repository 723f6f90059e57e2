package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.RangeAggregationExpr;
import java.util.List;

/**
 * Where the evaluator gets the samples of a range aggregation: every series with samples in
 * {@code span}, one {@link SeriesSamples} per distinct label set (parts of a series from several
 * places already merged). Implementations may be called once per range aggregation of a query,
 * from one thread.
 */
@FunctionalInterface
public interface SampleFetcher {
  /**
   * @param expr the range aggregation (its selector, pipeline, unwrap and grouping)
   * @param pushedGrouping when not null, the grouping to label samples with instead of the
   *     aggregation's own (an enclosing {@code sum by (...)} pushed down)
   */
  List<SeriesSamples> fetch(RangeAggregationExpr expr, Grouping pushedGrouping, Span span);

  /**
   * The entries wanted, {@code fromNanos <= ts < toNanos}, and the buckets their samples may be
   * summed into: {@code (align + (k-1)·width, align + k·width]}, one sample at the bucket's end
   * ({@code bucketWidthNanos == 0}: no buckets, one sample per entry). Immutable.
   */
  record Span(long fromNanos, long toNanos, long bucketWidthNanos, long bucketAlignNanos) {
    /** Without buckets. */
    public Span(long fromNanos, long toNanos) {
      this(fromNanos, toNanos, 0, 0);
    }
  }
}
