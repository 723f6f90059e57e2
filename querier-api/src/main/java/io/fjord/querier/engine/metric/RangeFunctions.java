package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.RangeOp;
import java.util.Arrays;

/**
 * The range aggregations of LogQL over the samples of one series in one window, with Loki's
 * definitions (those it takes from Prometheus: the incremental mean, Welford's variance, the
 * interpolated quantile, the extrapolated counter rate):
 * <ul>
 *   <li>{@code count_over_time}: the number of entries; {@code rate}: that per second of range;</li>
 *   <li>{@code bytes_over_time}: the bytes of the lines; {@code bytes_rate}: that per second;</li>
 *   <li>with an unwrap: {@code sum_over_time}, {@code rate} (the sum per second), {@code avg},
 *       {@code min}, {@code max}, {@code stdvar}/{@code stddev} (population),
 *       {@code quantile_over_time(φ)}, {@code first}/{@code last} (by time), {@code rate_counter}
 *       (the values as a counter: resets corrected, extrapolated to the window, per second).</li>
 * </ul>
 * {@code absent_over_time} is not a per-series function ({@link RangeAggregationNode} handles
 * it). Stateless.
 */
final class RangeFunctions {
  private RangeFunctions() {}

  /**
   * The value of {@code op} over samples {@code [from, to)} (not empty) of {@code s}, for the
   * window {@code (windowEnd - range, windowEnd]}.
   */
  static double apply(RangeOp op, double parameter, SeriesSamples s, int from, int to, long windowEnd,
      long rangeNanos) {
    double rangeSeconds = rangeNanos / 1e9;
    return switch (op) {
      case COUNT_OVER_TIME -> sum(s, from, to);
      case RATE, BYTES_RATE -> sum(s, from, to) / rangeSeconds;
      case BYTES_OVER_TIME, SUM_OVER_TIME -> sum(s, from, to);
      case AVG_OVER_TIME -> avg(s, from, to);
      case MIN_OVER_TIME -> min(s, from, to);
      case MAX_OVER_TIME -> max(s, from, to);
      case STDVAR_OVER_TIME -> stdvar(s, from, to);
      case STDDEV_OVER_TIME -> Math.sqrt(stdvar(s, from, to));
      case QUANTILE_OVER_TIME -> quantile(parameter, s, from, to);
      case FIRST_OVER_TIME -> s.value(from);
      case LAST_OVER_TIME -> s.value(to - 1);
      case RATE_COUNTER -> counterRate(s, from, to, windowEnd, rangeNanos);
      case ABSENT_OVER_TIME -> throw new IllegalArgumentException("absent_over_time is not a per-series function");
    };
  }

  static double sum(SeriesSamples s, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += s.value(i);
    }
    return sum;
  }

  /** The incremental mean, which does not overflow on large values; infinities as Prometheus treats them. */
  static double avg(SeriesSamples s, int from, int to) {
    double mean = 0;
    double count = 0;
    for (int i = from; i < to; i++) {
      double v = s.value(i);
      count++;
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
          continue;
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue;
        }
      }
      mean += v / count - mean / count;
    }
    return mean;
  }

  /** The smallest value; a NaN is replaced by any later value. */
  static double min(SeriesSamples s, int from, int to) {
    double min = s.value(from);
    for (int i = from + 1; i < to; i++) {
      double v = s.value(i);
      if (v < min || Double.isNaN(min)) {
        min = v;
      }
    }
    return min;
  }

  /** The largest value; a NaN is replaced by any later value. */
  static double max(SeriesSamples s, int from, int to) {
    double max = s.value(from);
    for (int i = from + 1; i < to; i++) {
      double v = s.value(i);
      if (v > max || Double.isNaN(max)) {
        max = v;
      }
    }
    return max;
  }

  /** The population variance, by Welford's method. */
  static double stdvar(SeriesSamples s, int from, int to) {
    double count = 0;
    double mean = 0;
    double aux = 0;
    for (int i = from; i < to; i++) {
      double v = s.value(i);
      count++;
      double delta = v - mean;
      mean += delta / count;
      aux += delta * (v - mean);
    }
    return aux / count;
  }

  /**
   * The φ-quantile of the values, interpolating linearly between the two closest ranks; -Inf for
   * φ < 0, +Inf for φ > 1, NaN for a NaN φ.
   */
  static double quantile(double phi, SeriesSamples s, int from, int to) {
    if (Double.isNaN(phi)) {
      return Double.NaN;
    }
    if (phi < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (phi > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] v = new double[to - from];
    for (int i = from; i < to; i++) {
      v[i - from] = s.value(i);
    }
    Arrays.sort(v);
    double n = v.length;
    double rank = phi * (n - 1);
    int lower = (int) Math.max(0, Math.floor(rank));
    int upper = (int) Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return v[lower] * (1 - weight) + v[upper] * weight;
  }

  /**
   * The per-second increase of a counter over the window: the difference between the last and the
   * first value plus every value before a decrease (a reset), extrapolated to the window's edges
   * when the samples come close enough to them (Prometheus' rate). Fewer than two samples: 0.
   */
  static double counterRate(SeriesSamples s, int from, int to, long windowEnd, long rangeNanos) {
    if (to - from < 2) {
      return 0;
    }
    double first = s.value(from);
    double last = s.value(to - 1);
    double result = last - first;
    double previous = first;
    for (int i = from + 1; i < to; i++) {
      double v = s.value(i);
      if (v < previous) {
        result += previous;
      }
      previous = v;
    }
    long windowStart = windowEnd - rangeNanos;
    double durationToStart = (s.timestamp(from) - windowStart) / 1e9;
    double durationToEnd = (windowEnd - s.timestamp(to - 1)) / 1e9;
    double sampledInterval = (s.timestamp(to - 1) - s.timestamp(from)) / 1e9;
    if (sampledInterval == 0) {
      return 0;
    }
    double averageBetweenSamples = sampledInterval / (to - from - 1);
    if (result > 0 && first >= 0) {
      double durationToZero = sampledInterval * (first / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    double threshold = averageBetweenSamples * 1.1;
    double extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : averageBetweenSamples / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetweenSamples / 2;
    return result * (extrapolateTo / sampledInterval) / (rangeNanos / 1e9);
  }
}
