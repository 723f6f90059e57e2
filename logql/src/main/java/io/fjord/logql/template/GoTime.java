package io.fjord.logql.template;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Go's reference-time layouts ({@code 2006-01-02T15:04:05Z07:00}) for the template functions
 * {@code date} and {@code toDate}: formatting of the common elements. Stateless.
 */
final class GoTime {
  private GoTime() {}

  static ZonedDateTime ofNanos(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
        .atZone(ZoneOffset.UTC);
  }

  static String format(ZonedDateTime t, String layout) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < layout.length()) {
      String rest = layout.substring(i);
      String[] tokens = {"January", "Monday", "2006", "-07:00:00", "-07:00", "-0700", "Z07:00", "Z0700", "Jan", "Mon",
          "MST", "002", "_2", "01", "02", "03", "04", "05", "06", "15", "PM", "pm", "-07", "1", "2", "3", "4", "5"};
      String match = null;
      for (String tok : tokens) {
        if (rest.startsWith(tok)) {
          match = tok;
          break;
        }
      }
      if (match == null && (rest.startsWith(".0") || rest.startsWith(".9") || rest.startsWith(",0")
          || rest.startsWith(",9"))) {
        char d = rest.charAt(1);
        int n = 1;
        while (n < rest.length() && rest.charAt(n) == d) {
          n++;
        }
        if (n == rest.length() || !Character.isDigit(rest.charAt(n))) {
          fraction(t, rest.charAt(0), d, n - 1, sb);
          i += n;
          continue;
        }
      }
      if (match == null) {
        sb.append(layout.charAt(i));
        i++;
        continue;
      }
      element(t, match, sb);
      i += match.length();
    }
    return sb.toString();
  }

  private static void fraction(ZonedDateTime t, char sep, char digit, int width, StringBuilder sb) {
    String nanos = String.format("%09d", t.getNano()).substring(0, Math.min(9, width));
    if (digit == '9') {
      int end = nanos.length();
      while (end > 0 && nanos.charAt(end - 1) == '0') {
        end--;
      }
      if (end == 0) {
        return;
      }
      nanos = nanos.substring(0, end);
    }
    sb.append(sep).append(nanos);
  }

  private static void element(ZonedDateTime t, String tok, StringBuilder sb) {
    int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
    int offset = t.getOffset().getTotalSeconds();
    switch (tok) {
      case "January" -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      case "Jan" -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      case "Monday" -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      case "Mon" -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      case "2006" -> sb.append(String.format("%04d", t.getYear()));
      case "06" -> sb.append(String.format("%02d", t.getYear() % 100));
      case "01" -> sb.append(String.format("%02d", t.getMonthValue()));
      case "1" -> sb.append(t.getMonthValue());
      case "02" -> sb.append(String.format("%02d", t.getDayOfMonth()));
      case "_2" -> sb.append(String.format("%2d", t.getDayOfMonth()));
      case "2" -> sb.append(t.getDayOfMonth());
      case "002" -> sb.append(String.format("%03d", t.getDayOfYear()));
      case "15" -> sb.append(String.format("%02d", t.getHour()));
      case "03" -> sb.append(String.format("%02d", hour12));
      case "3" -> sb.append(hour12);
      case "04" -> sb.append(String.format("%02d", t.getMinute()));
      case "4" -> sb.append(t.getMinute());
      case "05" -> sb.append(String.format("%02d", t.getSecond()));
      case "5" -> sb.append(t.getSecond());
      case "PM" -> sb.append(t.getHour() >= 12 ? "PM" : "AM");
      case "pm" -> sb.append(t.getHour() >= 12 ? "pm" : "am");
      case "MST" -> sb.append(offset == 0 ? "UTC" : t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      default -> zone(tok, offset, sb);
    }
  }

  private static void zone(String tok, int offset, StringBuilder sb) {
    if (tok.startsWith("Z") && offset == 0) {
      sb.append('Z');
      return;
    }
    int abs = Math.abs(offset);
    String hh = String.format("%02d", abs / 3600);
    String mm = String.format("%02d", (abs / 60) % 60);
    String ss = String.format("%02d", abs % 60);
    sb.append(offset < 0 ? '-' : '+').append(hh);
    switch (tok) {
      case "-07:00:00" -> sb.append(':').append(mm).append(':').append(ss);
      case "-07:00", "Z07:00" -> sb.append(':').append(mm);
      case "-0700", "Z0700" -> sb.append(mm);
      default -> {
        // -07: hours only
      }
    }
  }
}
