package io.fjord.logql.eval;

/**
 * Turns a parsed key into a valid label name as Loki's parsers do: characters outside
 * {@code [a-zA-Z0-9_]} become {@code _}, and a leading digit gets a {@code _} prefix. Stateless.
 */
final class LabelNames {
  private LabelNames() {}

  static String sanitize(String key) {
    if (key.isEmpty()) {
      return key;
    }
    boolean ok = !Character.isDigit(key.charAt(0));
    for (int i = 0; ok && i < key.length(); i++) {
      ok = isNameChar(key.charAt(i));
    }
    if (ok) {
      return key;
    }
    StringBuilder sb = new StringBuilder(key.length() + 1);
    if (key.charAt(0) >= '0' && key.charAt(0) <= '9') {
      sb.append('_');
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      sb.append(isNameChar(c) ? c : '_');
    }
    return sb.toString();
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
