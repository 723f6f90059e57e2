package io.fjord.bench.e2e;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations in nanoseconds. Pure; copies its input. */
record Percentiles(long count, double p50Ms, double p99Ms, double maxMs) {
  static Percentiles of(long[] nanos) {
    if (nanos.length == 0) {
      return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
    }
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new Percentiles(s.length, rank(s, 0.50) / 1e6, rank(s, 0.99) / 1e6, s[s.length - 1] / 1e6);
  }

  private static long rank(long[] sorted, double q) {
    int r = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, r - 1)];
  }
}
