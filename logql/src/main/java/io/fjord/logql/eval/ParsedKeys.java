package io.fjord.logql.eval;

/**
 * The label names a parser gives the keys of one stream's lines, remembered by key text: the same
 * keys come back on every line, so a key read from the line at {@code [from, to)} is found here
 * without allocating its string, sanitizing it ({@link LabelNames#sanitize}) or checking it
 * against the stream labels ({@code _extracted}) again. A small direct-mapped table; a collision
 * only replaces an entry. Belongs to one {@link Entry}: not thread-safe.
 */
final class ParsedKeys {
  private static final int SIZE = 128;

  private final String[] keys = new String[SIZE];
  private final String[] names = new String[SIZE];

  /**
   * The label name for the key {@code text[from, to)} as {@link Entry#setParsed} would store it
   * ({@code prefix} is prepended first, for nested JSON objects; "" for none); null for an empty
   * key, which gives no label.
   */
  String name(Entry e, String prefix, String text, int from, int to) {
    if (!prefix.isEmpty()) {
      return e.parsedName(LabelNames.sanitize(prefix + text.substring(from, to)));
    }
    int len = to - from;
    if (len == 0) {
      return null;
    }
    int h = len;
    for (int i = from; i < to; i++) {
      h = 31 * h + text.charAt(i);
    }
    int slot = (h ^ (h >>> 16)) & (SIZE - 1);
    String k = keys[slot];
    if (k != null && k.length() == len && text.regionMatches(from, k, 0, len)) {
      return names[slot];
    }
    k = text.substring(from, to);
    String name = e.parsedName(LabelNames.sanitize(k));
    keys[slot] = k;
    names[slot] = name;
    return name;
  }
}
