package io.fjord.querier.http;

import io.fjord.common.config.LokiDuration;
import io.fjord.common.http.ApiException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses the time values of Loki's query API. Timestamps: an integer is Unix nanoseconds (or Unix
 * seconds when it has at most 10 characters, as Loki reads it), a number with a point is Unix
 * seconds with a fraction (kept to the millisecond, as Loki does), anything else must be
 * RFC3339/RFC3339Nano. Durations ({@code step}, {@code interval}, {@code since}): a number is
 * seconds, otherwise a duration such as {@code 5m} or {@code 1h30m}. Errors are 400s naming the
 * parameter and the value. Stateless.
 */
public final class Timestamps {
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Timestamps() {}

  /** The timestamp in {@code value} as Unix nanoseconds; {@code defaultNanos} when it is null or empty. */
  public static long parse(String param, String value, long defaultNanos) {
    if (value == null || value.isEmpty()) {
      return defaultNanos;
    }
    try {
      if (DECIMAL.matcher(value).matches()) {
        double seconds = Double.parseDouble(value);
        long whole = (long) seconds; // truncates toward zero, like Go's math.Modf
        long millis = Math.round((seconds - whole) * 1000);
        return Math.addExact(Math.multiplyExact(whole, NANOS_PER_SECOND), millis * 1_000_000L);
      }
      if (INTEGER.matcher(value).matches()) {
        long n = Long.parseLong(value);
        return value.length() <= 10 ? Math.multiplyExact(n, NANOS_PER_SECOND) : n;
      }
      OffsetDateTime t = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return Math.addExact(Math.multiplyExact(t.toEpochSecond(), NANOS_PER_SECOND), t.getNano());
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      throw ApiException.badRequest(
          "invalid parameter \"" + param + "\": cannot parse \"" + value + "\" to a valid timestamp");
    }
  }

  /**
   * The duration in {@code value} in nanoseconds: float seconds or a duration string; {@code
   * defaultNanos} when null or empty.
   */
  public static long parseDuration(String param, String value, long defaultNanos) {
    if (value == null || value.isEmpty()) {
      return defaultNanos;
    }
    try {
      if (NUMBER.matcher(value).matches()) {
        double seconds = Double.parseDouble(value);
        if (Double.isInfinite(seconds) || Math.abs(seconds) * NANOS_PER_SECOND > Long.MAX_VALUE) {
          throw new ArithmeticException("overflow");
        }
        return Math.round(seconds * NANOS_PER_SECOND);
      }
      return LokiDuration.parse(value).toNanos();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw ApiException.badRequest(
          "invalid parameter \"" + param + "\": cannot parse \"" + value + "\" to a valid duration");
    }
  }
}
