package io.fjord.querier.engine;

import io.fjord.common.http.ApiException;
import io.fjord.logql.ast.SampleExpr;
import java.util.List;

/**
 * Evaluates metric queries (LogQL sample expressions). The query service hands every expression that
 * is not a log selector to this interface; {@link io.fjord.querier.engine.metric.LokiMetricEngine}
 * implements it ({@link #UNSUPPORTED}, answering 501, remains for wiring without one).
 * Implementations are thread-safe.
 */
public interface MetricEngine {

  /** Evaluates {@code expr} at every step of {@code query}'s range for {@code tenants}. */
  QueryResult rangeQuery(SampleExpr expr, List<String> tenants, RangeQuery query);

  /** Evaluates {@code expr} at one instant (Unix nanoseconds) for {@code tenants}. */
  QueryResult instantQuery(SampleExpr expr, List<String> tenants, long timeNanos);

  /** {@link #rangeQuery(SampleExpr, List, RangeQuery)}, splitting the work as {@code split} says. */
  default QueryResult rangeQuery(SampleExpr expr, List<String> tenants, RangeQuery query, QuerySplit split) {
    return rangeQuery(expr, tenants, query);
  }

  /** {@link #instantQuery(SampleExpr, List, long)}, splitting the work as {@code split} says. */
  default QueryResult instantQuery(SampleExpr expr, List<String> tenants, long timeNanos, QuerySplit split) {
    return instantQuery(expr, tenants, timeNanos);
  }

  MetricEngine UNSUPPORTED = new MetricEngine() {
    @Override
    public QueryResult rangeQuery(SampleExpr expr, List<String> tenants, RangeQuery query) {
      throw unsupported();
    }

    @Override
    public QueryResult instantQuery(SampleExpr expr, List<String> tenants, long timeNanos) {
      throw unsupported();
    }

    private ApiException unsupported() {
      return new ApiException(501, "metric queries are not supported yet");
    }
  };
}
