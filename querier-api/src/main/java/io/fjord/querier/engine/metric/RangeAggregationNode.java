package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.RangeOp;
import io.fjord.querier.engine.VectorSample;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * A range aggregation over fetched series: at evaluation time t, each series with samples in the
 * window {@code (t - offset - range, t - offset]} gives one sample (its labels, the aggregation of
 * the window, see {@link RangeFunctions}); a series without samples there gives none. The windows
 * move forward with t, so each series keeps a cursor.
 *
 * <p>A series labelled with a non-empty {@code __error__} is a pipeline error (the query fails
 * with Loki's text naming the series) unless the query asked for errors by grouping on
 * {@code __error__}. Single-threaded.
 */
final class RangeAggregationNode implements VectorNode {
  static final String ERROR_LABEL = "__error__";

  private final RangeOp op;
  private final double parameter;
  private final long rangeNanos;
  private final long offsetNanos;
  private final boolean errorsAllowed;
  private final boolean integerSums;
  private final List<SeriesSamples> series;
  private final int[] from;
  private final int[] to;
  private final double[][] prefixSums;

  /**
   * @param integerSums true when the samples are counts or byte sizes: sums over windows then come
   *     from prefix sums (exact for integers), whatever the window's length
   */
  RangeAggregationNode(RangeOp op, double parameter, long rangeNanos, long offsetNanos, boolean errorsAllowed,
      boolean integerSums, List<SeriesSamples> series) {
    this.op = op;
    this.parameter = parameter;
    this.rangeNanos = rangeNanos;
    this.offsetNanos = offsetNanos;
    this.errorsAllowed = errorsAllowed;
    this.integerSums = integerSums;
    this.series = series;
    this.from = new int[series.size()];
    this.to = new int[series.size()];
    this.prefixSums = new double[series.size()][];
  }

  @Override
  public List<VectorSample> next(long ts) {
    long windowEnd = ts - offsetNanos;
    long windowStart = windowEnd - rangeNanos;
    List<VectorSample> out = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      SeriesSamples s = series.get(i);
      int lo = from[i];
      while (lo < s.size() && s.timestamp(lo) <= windowStart) {
        lo++;
      }
      int hi = Math.max(to[i], lo);
      while (hi < s.size() && s.timestamp(hi) <= windowEnd) {
        hi++;
      }
      from[i] = lo;
      to[i] = hi;
      if (lo == hi) {
        continue;
      }
      checkError(s.labels());
      out.add(new VectorSample(s.labels(), value(i, s, lo, hi, windowEnd)));
    }
    return out;
  }

  private double value(int i, SeriesSamples s, int lo, int hi, long windowEnd) {
    if (integerSums) {
      double[] prefix = prefixSums[i];
      if (prefix == null) {
        prefix = new double[s.size() + 1];
        for (int k = 0; k < s.size(); k++) {
          prefix[k + 1] = prefix[k] + s.value(k);
        }
        prefixSums[i] = prefix;
      }
      double sum = prefix[hi] - prefix[lo];
      return op == RangeOp.RATE || op == RangeOp.BYTES_RATE ? sum / (rangeNanos / 1e9) : sum;
    }
    return RangeFunctions.apply(op, parameter, s, lo, hi, windowEnd, rangeNanos);
  }

  private void checkError(Labels labels) {
    String error = labels.get(ERROR_LABEL);
    if (!errorsAllowed && error != null && !error.isEmpty()) {
      throw new EvaluationException(pipelineError(error, labels));
    }
  }

  /** Loki's text for a metric query that meets an entry in error. */
  static String pipelineError(String error, Labels series) {
    return "pipeline error: '" + error + "' for series: '" + series + "'.\n"
        + "Use a label filter to intentionally skip this error. (e.g | __error__!=\"" + error + "\").\n"
        + "To skip all potential errors you can match empty errors.(e.g __error__=\"\")\n"
        + "The label filter should come after the last stage in the pipeline (e.g after unwrap)";
  }
}
