package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.BinaryOpExpr;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.ast.LabelReplaceExpr;
import io.fjord.logql.ast.LiteralExpr;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.MatchType;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.ast.RangeOp;
import io.fjord.logql.ast.SampleExpr;
import io.fjord.logql.ast.VectorAggregationExpr;
import io.fjord.logql.ast.VectorExpr;
import io.fjord.logql.ast.VectorOp;
import io.fjord.logql.eval.SampleExtractor;
import io.fjord.querier.engine.MetricSeries;
import io.fjord.querier.engine.VectorSample;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates a metric query (a LogQL sample expression) over a {@link StepGrid}: compiles the
 * expression into nodes, fetches the samples of each range aggregation once for the whole grid
 * (its window: the grid widened by the aggregation's range and offset), then asks the root node
 * for the vector at each evaluation time. An expression of numbers only is a scalar.
 *
 * <p>Samples of aggregations that only need each window's sum are asked for in buckets: every
 * window edge lies on a grid of width gcd(step, range), so sources may sum the samples between
 * two grid points into one (the same sums, far fewer samples).
 *
 * <p>Two things Loki does are done here too. A {@code sum [by|without (...)]} directly over a
 * count, bytes, rate or {@code sum_over_time} aggregation is pushed down into the sample fetch
 * (the sources then label samples with the sum's grouping, which gives the same sums from fewer
 * series). A range aggregation directly under an aggregation {@code by (..., __error__, ...)} may
 * return series in error (the query asked for them); otherwise such a series fails the query.
 *
 * <p>The result holds at most {@code maxSeries} series ({@code max_query_series}). Pure: all
 * input comes through the {@link SampleFetcher}. Single-use: one instance per query.
 */
public final class Evaluator {
  static final String ERROR_LABEL = "__error__";

  private final StepGrid grid;
  private final SampleFetcher fetcher;
  private final int maxSeries;

  public Evaluator(StepGrid grid, SampleFetcher fetcher, int maxSeries) {
    this.grid = grid;
    this.fetcher = fetcher;
    this.maxSeries = maxSeries;
  }

  /** The answer to an instant query: a number, or a vector. */
  public sealed interface Instant permits ScalarValue, VectorValue {}

  /** A number (the expression has no log selector). */
  public record ScalarValue(double value) implements Instant {}

  /** A vector, in the order to return it. */
  public record VectorValue(List<VectorSample> samples) implements Instant {
    public VectorValue {
      samples = List.copyOf(samples);
    }
  }

  /** A compiled expression: a constant number or a vector-valued node. */
  private sealed interface Compiled permits Constant, Vector {}

  private record Constant(double value) implements Compiled {}

  private record Vector(VectorNode node) implements Compiled {}

  /**
   * The matrix of a range query: one series per label set seen at any evaluation time, sorted by
   * labels; a number gives one series without labels with the number at every time.
   */
  public List<MetricSeries> range(SampleExpr expr) {
    Compiled c = compile(expr);
    int n = grid.size();
    if (c instanceof Constant k) {
      long[] ts = new long[n];
      double[] vs = new double[n];
      for (int i = 0; i < n; i++) {
        ts[i] = grid.at(i);
        vs[i] = k.value();
      }
      return List.of(new MetricSeries(Labels.EMPTY, ts, vs));
    }
    VectorNode root = ((Vector) c).node();
    Map<Labels, Points> series = new HashMap<>();
    for (int i = 0; i < n; i++) {
      long ts = grid.at(i);
      for (VectorSample s : root.next(ts)) {
        Points p = series.get(s.labels());
        if (p == null) {
          if (series.size() >= maxSeries) {
            throw tooManySeries();
          }
          p = new Points();
          series.put(s.labels(), p);
        }
        p.add(ts, s.value());
      }
    }
    List<MetricSeries> out = new ArrayList<>(series.size());
    new TreeMap<>(series).forEach((labels, p) -> out.add(p.toSeries(labels)));
    return out;
  }

  /** The value of an instant query at the grid's one time. */
  public Instant instant(SampleExpr expr) {
    Compiled c = compile(expr);
    if (c instanceof Constant k) {
      return new ScalarValue(k.value());
    }
    List<VectorSample> vector = new ArrayList<>(((Vector) c).node().next(grid.startNanos()));
    Set<Labels> seen = new HashSet<>();
    for (VectorSample s : vector) {
      if (!seen.add(s.labels())) {
        throw duplicateLabels();
      }
    }
    if (vector.size() > maxSeries) {
      throw tooManySeries();
    }
    if (!keepsOrder(expr)) {
      vector.sort(Comparator.comparing(VectorSample::labels));
    }
    return new VectorValue(vector);
  }

  private EvaluationException tooManySeries() {
    return new EvaluationException("maximum of series (" + maxSeries + ") reached for a single query");
  }

  private static EvaluationException duplicateLabels() {
    return new EvaluationException("vector cannot contain metrics with the same labelset");
  }

  /** True when the root orders its samples by value ({@code sort}, {@code topk}, ...). */
  private static boolean keepsOrder(SampleExpr expr) {
    return expr instanceof VectorAggregationExpr v && switch (v.op()) {
      case SORT, SORT_DESC, TOPK, BOTTOMK -> true;
      default -> false;
    };
  }

  private Compiled compile(SampleExpr e) {
    if (e instanceof LiteralExpr l) {
      return new Constant(l.value());
    }
    if (e instanceof VectorExpr v) {
      return new Vector(new ConstantVectorNode(v.value()));
    }
    if (e instanceof RangeAggregationExpr r) {
      return new Vector(range(r, null, false));
    }
    if (e instanceof VectorAggregationExpr v) {
      return new Vector(vectorAggregation(v));
    }
    if (e instanceof LabelReplaceExpr l) {
      return new Vector(new LabelReplaceNode(l, vector(l.inner())));
    }
    BinaryOpExpr b = (BinaryOpExpr) e;
    Compiled lhs = compile(b.lhs());
    Compiled rhs = compile(b.rhs());
    if (lhs instanceof Constant l && rhs instanceof Constant r) {
      return new Constant(Arithmetic.apply(b.op(), l.value(), r.value()));
    }
    if (rhs instanceof Constant r) {
      return new Vector(new ScalarOperandNode(b.op(), ((Vector) lhs).node(), r.value(), false, b.returnBool()));
    }
    if (lhs instanceof Constant l) {
      return new Vector(new ScalarOperandNode(b.op(), ((Vector) rhs).node(), l.value(), true, b.returnBool()));
    }
    return new Vector(new VectorMatchingNode(b.op(), ((Vector) lhs).node(), ((Vector) rhs).node(), b.returnBool(),
        b.matching().orElse(null)));
  }

  private VectorNode vector(SampleExpr e) {
    Compiled c = compile(e);
    if (c instanceof Vector v) {
      return v.node();
    }
    throw new EvaluationException("expected a vector expression, got a number: " + e);
  }

  private VectorNode vectorAggregation(VectorAggregationExpr v) {
    Grouping grouping = v.grouping().orElse(null);
    VectorNode inner;
    if (v.inner() instanceof RangeAggregationExpr r) {
      boolean errorsAsked = grouping != null && !grouping.without() && grouping.labels().contains(ERROR_LABEL);
      Grouping pushed = v.op() == VectorOp.SUM && r.grouping().isEmpty() && additive(r)
          ? (grouping != null ? grouping : new Grouping(false, List.of()))
          : null;
      inner = range(r, pushed, errorsAsked);
    } else {
      inner = vector(v.inner());
    }
    return new VectorAggregationNode(v.op(), v.parameter().orElse(0), grouping, inner);
  }

  /** True when a sum over series of the aggregation equals the aggregation of the merged series. */
  private static boolean additive(RangeAggregationExpr r) {
    return switch (r.op()) {
      case COUNT_OVER_TIME, RATE, BYTES_OVER_TIME, BYTES_RATE, SUM_OVER_TIME -> true;
      default -> false;
    };
  }

  private VectorNode range(RangeAggregationExpr r, Grouping pushed, boolean errorsAllowed) {
    long rangeNanos = r.range().range().toNanos();
    long offsetNanos = r.range().offset().toNanos();
    // the samples of every window (t - offset - range, t - offset] of the grid, as [from, to)
    long from = grid.startNanos() - offsetNanos - rangeNanos + 1;
    long to = grid.endNanos() - offsetNanos + 1;
    SampleFetcher.Span span = new SampleFetcher.Span(from, to);
    if (summable(r)) {
      // every window edge lies on start - offset + k·gcd(step, range): windows are whole buckets
      long width = grid.stepNanos() <= 0 ? rangeNanos : gcd(grid.stepNanos(), rangeNanos);
      span = new SampleFetcher.Span(from, to, width, grid.startNanos() - offsetNanos);
    }
    List<SeriesSamples> series = fetcher.fetch(r, pushed, span);
    if (r.op() == RangeOp.ABSENT_OVER_TIME) {
      return new AbsentNode(rangeNanos, offsetNanos, absentLabels(r.range().selector()), series);
    }
    SampleExtractor.Kind kind = SampleExtractor.kind(r.op(), r.range().unwrap().isPresent());
    return new RangeAggregationNode(r.op(), r.parameter().orElse(0.0), rangeNanos, offsetNanos, errorsAllowed,
        kind != SampleExtractor.Kind.UNWRAP, series);
  }

  /** True when the aggregation needs only the sum of each window (or whether it is empty). */
  private static boolean summable(RangeAggregationExpr r) {
    return switch (r.op()) {
      case COUNT_OVER_TIME, RATE, BYTES_OVER_TIME, BYTES_RATE, SUM_OVER_TIME, ABSENT_OVER_TIME -> true;
      default -> false;
    };
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** The labels of {@code absent_over_time}'s sample: the selector's equality matchers, a name given twice left out. */
  static Labels absentLabels(LogSelectorExpr selector) {
    Map<String, String> labels = new TreeMap<>();
    Set<String> repeated = new HashSet<>();
    for (LabelMatcher m : selector.matchers()) {
      if (m.type() == MatchType.EQ && !labels.containsKey(m.name()) && !repeated.contains(m.name())) {
        labels.put(m.name(), m.value());
      } else {
        labels.remove(m.name());
        repeated.add(m.name());
      }
    }
    return Labels.of(labels);
  }

  /** The points of one result series, in time order. */
  private static final class Points {
    private long[] ts = new long[8];
    private double[] vs = new double[8];
    private int size;

    void add(long t, double v) {
      if (size > 0 && ts[size - 1] == t) {
        throw duplicateLabels();
      }
      if (size == ts.length) {
        ts = java.util.Arrays.copyOf(ts, size * 2);
        vs = java.util.Arrays.copyOf(vs, size * 2);
      }
      ts[size] = t;
      vs[size++] = v;
    }

    MetricSeries toSeries(Labels labels) {
      return new MetricSeries(labels, java.util.Arrays.copyOf(ts, size), java.util.Arrays.copyOf(vs, size));
    }
  }
}
