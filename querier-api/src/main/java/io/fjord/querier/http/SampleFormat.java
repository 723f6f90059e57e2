package io.fjord.querier.http;

import java.math.BigDecimal;

/**
 * How Loki (like Prometheus) writes metric samples in JSON: a value as a string in Go's
 * {@code strconv.FormatFloat(v, 'f', -1, 64)} form ({@code "6.5"}, {@code "100"}, {@code "-0"},
 * {@code "0.0000001"}, {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}); a time as Unix seconds
 * with at most millisecond precision ({@code 1795132800}, {@code 1795132800.5}). Stateless.
 */
public final class SampleFormat {
  private SampleFormat() {}

  public static String value(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** The time {@code nanos} (truncated to the millisecond) as a JSON number of seconds. */
  public static String seconds(long nanos) {
    long millis = Math.floorDiv(nanos, 1_000_000L);
    long seconds = Math.floorDiv(millis, 1000L);
    int fraction = (int) Math.floorMod(millis, 1000L);
    if (fraction == 0) {
      return Long.toString(seconds);
    }
    String f = String.format("%03d", fraction);
    while (f.endsWith("0")) {
      f = f.substring(0, f.length() - 1);
    }
    return seconds + "." + f;
  }

  /** The time {@code nanos} in whole milliseconds (a scalar result's timestamp). */
  public static long millis(long nanos) {
    return Math.floorDiv(nanos, 1_000_000L);
  }
}
