package io.fjord.common.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations the way Loki's configuration and LogQL write them: a sequence of
 * number-unit pairs such as {@code 10m}, {@code 1h30m}, {@code 500ms}, {@code 1w}, {@code 2d}.
 * Units: y (365d), w, d, h, m, s, ms, us/µs, ns. A bare {@code 0} is zero. Stateless.
 */
public final class LokiDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)");

  private LokiDuration() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the text when it is not a duration. */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    boolean negative = s.startsWith("-");
    if (negative) {
      s = s.substring(1);
    }
    Matcher m = PART.matcher(s);
    long nanos = 0;
    int pos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("not a valid duration: \"" + text + "\"");
      }
      double value = Double.parseDouble(m.group(1));
      nanos = Math.addExact(nanos, (long) (value * unitNanos(m.group(2))));
      pos = m.end();
    }
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  /** Prints the shortest exact form, e.g. {@code 1h30m}, {@code 168h}, {@code 250ms}, {@code 0s}. */
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
    long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
    String[] names = {"h", "m", "s", "ms", "us", "ns"};
    for (int i = 0; i < units.length; i++) {
      if (nanos >= units[i]) {
        sb.append(nanos / units[i]).append(names[i]);
        nanos %= units[i];
      }
    }
    return sb.toString();
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      case "d" -> 86_400_000_000_000L;
      case "w" -> 7 * 86_400_000_000_000L;
      case "y" -> 365 * 86_400_000_000_000L;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }
}
