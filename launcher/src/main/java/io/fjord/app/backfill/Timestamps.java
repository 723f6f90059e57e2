package io.fjord.app.backfill;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads the time of a log line from a field's text into Unix nanoseconds: an RFC3339 time
 * ({@code 2024-05-01T10:00:00.123Z}, any offset, a space allowed for the {@code T}) or a Unix time
 * whose unit is told by its size, as log shippers do: below 10^11 seconds (up to the year 5138),
 * below 10^14 milliseconds, below 10^17 microseconds, otherwise nanoseconds; a decimal fraction is
 * allowed ({@code 1714557600.5}). Stateless.
 */
final class Timestamps {
  private static final BigDecimal E11 = BigDecimal.valueOf(100_000_000_000L);
  private static final BigDecimal E14 = BigDecimal.valueOf(100_000_000_000_000L);
  private static final BigDecimal E17 = BigDecimal.valueOf(100_000_000_000_000_000L);

  private Timestamps() {}

  /** The time in Unix nanoseconds; throws IllegalArgumentException naming the text when it is none. */
  static long parse(String text) {
    String s = text.strip();
    if (!s.isEmpty() && (Character.isDigit(s.charAt(0)))
        && s.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
      return unix(s);
    }
    try {
      String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
      OffsetDateTime t = OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("\"" + abbreviate(s) + "\" is neither an RFC3339 time nor a Unix time");
    }
  }

  /** A Unix time given as a number, in the unit its size implies. */
  static long unix(BigDecimal value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException(value.toPlainString() + " is a negative Unix time");
    }
    BigDecimal nanos;
    if (value.compareTo(E11) < 0) {
      nanos = value.movePointRight(9);
    } else if (value.compareTo(E14) < 0) {
      nanos = value.movePointRight(6);
    } else if (value.compareTo(E17) < 0) {
      nanos = value.movePointRight(3);
    } else {
      nanos = value;
    }
    try {
      return nanos.toBigInteger().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(value.toPlainString() + " is too large for a Unix time");
    }
  }

  private static long unix(String digits) {
    try {
      return unix(new BigDecimal(digits));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + abbreviate(digits) + "\" is neither an RFC3339 time nor a Unix time");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
