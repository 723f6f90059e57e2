package io.fjord.logql.units;

import java.util.Locale;

/**
 * Byte sizes as LogQL reads them (go-humanize's {@code ParseBytes}): a decimal number with an
 * optional fraction, then an optional unit, case-insensitive: {@code B}, {@code kB}/{@code KB}
 * (1000), {@code KiB} (1024), up to {@code EB}/{@code EiB}. Stateless, thread-safe.
 */
public final class ByteSizes {
  private ByteSizes() {}

  /** The number of bytes, or {@link IllegalArgumentException} with go-humanize's error text. */
  public static long parse(String s) {
    int last = 0;
    boolean comma = false;
    while (last < s.length()) {
      char c = s.charAt(last);
      if (!(Character.isDigit(c) || c == '.' || c == ',')) {
        break;
      }
      comma |= c == ',';
      last++;
    }
    String num = s.substring(0, last);
    if (comma) {
      num = num.replace(",", "");
    }
    double f;
    try {
      if (num.isEmpty() || !num.matches("[0-9]*\\.?[0-9]*")) {
        throw new NumberFormatException();
      }
      f = Double.parseDouble(num);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("strconv.ParseFloat: parsing \"" + num + "\": invalid syntax");
    }
    String unit = s.substring(last).trim().toLowerCase(Locale.ROOT);
    long mult = multiplier(unit);
    if (mult < 0) {
      throw new IllegalArgumentException("unhandled size name: " + unit);
    }
    double v = f * mult;
    if (v >= 0x1p64) {
      throw new IllegalArgumentException("too large: " + s);
    }
    return (long) v;
  }

  private static long multiplier(String unit) {
    return switch (unit) {
      case "", "b" -> 1L;
      case "k", "kb" -> 1000L;
      case "ki", "kib" -> 1L << 10;
      case "m", "mb" -> 1000_000L;
      case "mi", "mib" -> 1L << 20;
      case "g", "gb" -> 1000_000_000L;
      case "gi", "gib" -> 1L << 30;
      case "t", "tb" -> 1000_000_000_000L;
      case "ti", "tib" -> 1L << 40;
      case "p", "pb" -> 1000_000_000_000_000L;
      case "pi", "pib" -> 1L << 50;
      case "e", "eb" -> 1000_000_000_000_000_000L;
      case "ei", "eib" -> 1L << 60;
      default -> -1;
    };
  }
}
