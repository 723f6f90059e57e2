package io.fjord.logql.units;

/**
 * Durations as LogQL reads them: Go's {@code time.ParseDuration} syntax ({@code 1h30m}, {@code 1.5s},
 * {@code 300ms}, {@code 10us}), falling back to Prometheus' {@code 1d}/{@code 1w}/{@code 1y} units.
 * Error texts are Go's (e.g. {@code time: unknown unit "x" in duration "5x"}). Stateless, thread-safe.
 */
public final class GoDurations {
  private GoDurations() {}

  /** Parses Go syntax, then Prometheus syntax; on failure throws with Go's error text. */
  public static long parseNanos(String s) {
    try {
      return parseGo(s);
    } catch (IllegalArgumentException goError) {
      Long prom = parsePrometheus(s);
      if (prom != null) {
        return prom;
      }
      throw goError;
    }
  }

  /** Go's {@code time.ParseDuration}: nanoseconds, or {@link IllegalArgumentException} with Go's message. */
  public static long parseGo(String orig) {
    String s = orig;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw invalid(orig);
    }
    long total = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (!(c == '.' || isDigit(c))) {
        throw invalid(orig);
      }
      int start = i;
      long whole = 0;
      while (i < n && isDigit(s.charAt(i))) {
        if (whole > (Long.MAX_VALUE - 9) / 10) {
          throw invalid(orig);
        }
        whole = whole * 10 + (s.charAt(i) - '0');
        i++;
      }
      boolean pre = i != start;
      boolean post = false;
      long frac = 0;
      double scale = 1;
      if (i < n && s.charAt(i) == '.') {
        i++;
        int fs = i;
        while (i < n && isDigit(s.charAt(i))) {
          if (frac < Long.MAX_VALUE / 10 - 10) {
            frac = frac * 10 + (s.charAt(i) - '0');
            scale *= 10;
          }
          i++;
        }
        post = i != fs;
      }
      if (!pre && !post) {
        throw invalid(orig);
      }
      int us = i;
      while (i < n && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      if (us == i) {
        throw new IllegalArgumentException("time: missing unit in duration " + quote(orig));
      }
      String unit = s.substring(us, i);
      long mult = unitNanos(unit);
      if (mult < 0) {
        throw new IllegalArgumentException("time: unknown unit " + quote(unit) + " in duration " + quote(orig));
      }
      if (whole > Long.MAX_VALUE / mult) {
        throw invalid(orig);
      }
      long v = whole * mult;
      if (frac > 0) {
        v += (long) (frac * ((double) mult / scale));
      }
      total += v;
      if (total < 0) {
        throw invalid(orig);
      }
    }
    return neg ? -total : total;
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "\u00b5s", "\u03bcs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> -1;
    };
  }

  /** Prometheus' {@code model.ParseDuration} ({@code 1y2w3d4h5m6s7ms}, integers only), or null. */
  static Long parsePrometheus(String s) {
    if (s.isEmpty()) {
      return null;
    }
    if (s.equals("0")) {
      return 0L;
    }
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    long[] millis = {365L * 86_400_000L, 7L * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    int i = 0;
    int next = 0;
    long total = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      if (start == i) {
        return null;
      }
      long v;
      try {
        v = Long.parseLong(s.substring(start, i));
      } catch (NumberFormatException e) {
        return null;
      }
      int u = -1;
      for (int k = next; k < units.length; k++) {
        String unit = units[k];
        if (s.startsWith(unit, i) && !(unit.equals("m") && s.startsWith("ms", i))) {
          u = k;
          break;
        }
      }
      if (u < 0) {
        return null;
      }
      i += units[u].length();
      next = u + 1;
      total += v * millis[u];
    }
    return total * 1_000_000L;
  }

  private static IllegalArgumentException invalid(String orig) {
    return new IllegalArgumentException("time: invalid duration " + quote(orig));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    io.fjord.schemas.labels.Labels.quote(s, sb);
    return sb.toString();
  }
}
