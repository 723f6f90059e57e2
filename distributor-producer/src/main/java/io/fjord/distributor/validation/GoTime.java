package io.fjord.distributor.validation;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Prints a Unix-nanosecond timestamp the way Go prints a UTC {@code time.Time}, which is how
 * Loki's error messages show them: {@code 2024-01-02 03:04:05.5 +0000 UTC} (the fraction without
 * trailing zeros, absent when zero). Stateless.
 */
final class GoTime {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  private GoTime() {}

  static String format(long unixNanos) {
    Instant t = Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L));
    StringBuilder sb = new StringBuilder(40).append(SECONDS.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)));
    int nanos = t.getNano();
    if (nanos != 0) {
      String digits = String.format("%09d", nanos);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(digits, 0, end);
    }
    return sb.append(" +0000 UTC").toString();
  }
}
