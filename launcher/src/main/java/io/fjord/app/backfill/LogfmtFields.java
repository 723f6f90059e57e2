package io.fjord.app.backfill;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Picks named fields out of a logfmt line: {@code key=value}, {@code key="quoted \"value\""}
 * (escapes {@code \" \\ \n \t \r}), and bare {@code key} (empty value). The first occurrence of a
 * key wins; malformed pieces are skipped, as Loki's logfmt parser does without {@code --strict}.
 * Stateless.
 */
final class LogfmtFields {
  private LogfmtFields() {}

  /** The values of the {@code wanted} keys that occur in {@code line}. */
  static Map<String, String> read(String line, Set<String> wanted) {
    Map<String, String> out = new HashMap<>();
    int n = line.length();
    int i = 0;
    while (i < n && out.size() < wanted.size()) {
      while (i < n && line.charAt(i) <= ' ') {
        i++;
      }
      int keyStart = i;
      while (i < n && line.charAt(i) > ' ' && line.charAt(i) != '=' && line.charAt(i) != '"') {
        i++;
      }
      String key = line.substring(keyStart, i);
      String value = "";
      if (i < n && line.charAt(i) == '=') {
        i++;
        if (i < n && line.charAt(i) == '"') {
          StringBuilder sb = new StringBuilder();
          i = quoted(line, i + 1, sb);
          value = sb.toString();
        } else {
          int start = i;
          while (i < n && line.charAt(i) > ' ') {
            i++;
          }
          value = line.substring(start, i);
        }
      } else if (key.isEmpty()) {
        i++; // a stray '=' or '"': skip it
        continue;
      }
      if (!key.isEmpty() && wanted.contains(key)) {
        out.putIfAbsent(key, value);
      }
    }
    return out;
  }

  /** Reads a quoted value from just after its opening quote; returns the index after the closing one. */
  private static int quoted(String s, int i, StringBuilder sb) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i++);
      if (c == '"') {
        return i;
      }
      if (c == '\\' && i < n) {
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    return n; // unterminated: the rest of the line is the value
  }
}
