package io.fjord.querier.engine;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Prints a duration the way Go's {@code time.Duration.String()} does ({@code 721h0m0s},
 * {@code 1.5s}, {@code 250ms}, {@code 0s}), because Loki's error messages show durations in that
 * form and clients match on them. Stateless.
 */
public final class GoDuration {
  private GoDuration() {}

  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (nanos < 0) {
      sb.append('-');
      nanos = -nanos;
    }
    if (nanos < 1_000L) {
      return sb.append(nanos).append("ns").toString();
    }
    if (nanos < 1_000_000L) {
      return sb.append(decimal(nanos, 3)).append("µs").toString();
    }
    if (nanos < 1_000_000_000L) {
      return sb.append(decimal(nanos, 6)).append("ms").toString();
    }
    long hours = nanos / 3_600_000_000_000L;
    long rest = nanos % 3_600_000_000_000L;
    long minutes = rest / 60_000_000_000L;
    rest %= 60_000_000_000L;
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    return sb.append(decimal(rest, 9)).append('s').toString();
  }

  /** {@code value / 10^scale} without trailing zeros (and without a trailing point). */
  private static String decimal(long value, int scale) {
    BigDecimal d = BigDecimal.valueOf(value, scale).stripTrailingZeros();
    return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
  }
}
