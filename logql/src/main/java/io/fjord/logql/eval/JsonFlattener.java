package io.fjord.logql.eval;

/**
 * {@code | json} without parameters, in one pass over the line and without building a tree: the
 * fields of the line's JSON object, nested objects flattened with {@code _}, strings decoded,
 * numbers and booleans as written, arrays and nulls skipped, exactly as {@link JsonParser} reads
 * {@link Json}'s tree (a property test holds the two equal). It accepts and rejects the same text
 * as {@link Json#parse}. Labels are gathered first and handed to the entry only when the whole
 * line parsed, so a malformed line sets none. Use one instance per line: not thread-safe.
 */
final class JsonFlattener {
  private final String s;
  private final Entry e;
  private final ParsedKeys keys;
  private int pos;
  private String[] pairs = new String[16];
  private int size;

  private JsonFlattener(String s, Entry e) {
    this.s = s;
    this.e = e;
    this.keys = e.parsedKeys();
  }

  /** Parses {@code e}'s line into its labels; false (and no label set) when it is not a JSON object. */
  static boolean flatten(Entry e) {
    JsonFlattener f = new JsonFlattener(e.line, e);
    try {
      f.skipSpace();
      if (f.pos >= f.s.length() || f.s.charAt(f.pos) != '{') {
        return false;
      }
      f.object("");
      f.skipSpace();
      if (f.pos != f.s.length()) {
        return false;
      }
    } catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
      return false;
    }
    e.beginParse();
    for (int i = 0; i < f.size; i += 2) {
      e.setParsedName(f.pairs[i], f.pairs[i + 1]);
    }
    return true;
  }

  private void add(String name, String value) {
    if (name == null) {
      return;
    }
    if (size == pairs.length) {
      pairs = java.util.Arrays.copyOf(pairs, size * 2);
    }
    pairs[size++] = name;
    pairs[size++] = value;
  }

  private void skipSpace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private static IllegalArgumentException bad() {
    return new IllegalArgumentException("malformed JSON");
  }

  /** Reads the object at pos ('{'), adding its scalar fields under {@code prefix}. */
  private void object(String prefix) {
    pos++;
    skipSpace();
    if (pos < s.length() && s.charAt(pos) == '}') {
      pos++;
      return;
    }
    while (true) {
      skipSpace();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw bad();
      }
      int keyStart = pos + 1;
      String decodedKey = string();
      int keyEnd = pos - 1;
      skipSpace();
      expect(':');
      skipSpace();
      if (pos >= s.length()) {
        throw bad();
      }
      char c = s.charAt(pos);
      if (c == '{') {
        String key = decodedKey != null ? decodedKey : s.substring(keyStart, keyEnd);
        object(prefix + key + "_");
      } else if (c == '"') {
        int valueStart = pos + 1;
        String decoded = string();
        String value = decoded != null ? decoded : s.substring(valueStart, pos - 1);
        add(name(prefix, decodedKey, keyStart, keyEnd), value);
      } else if (c == '[') {
        array();
      } else if (c == 'n') {
        literal("null");
      } else if (c == 't' || c == 'f') {
        String word = c == 't' ? "true" : "false";
        literal(word);
        add(name(prefix, decodedKey, keyStart, keyEnd), word);
      } else {
        int start = pos;
        number();
        add(name(prefix, decodedKey, keyStart, keyEnd), s.substring(start, pos));
      }
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect('}');
      return;
    }
  }

  private String name(String prefix, String decodedKey, int keyStart, int keyEnd) {
    if (decodedKey != null) {
      return keys.name(e, prefix, decodedKey, 0, decodedKey.length());
    }
    return keys.name(e, prefix, s, keyStart, keyEnd);
  }

  /** Checks any value at pos without keeping it. */
  private void skipValue() {
    if (pos >= s.length()) {
      throw bad();
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{' -> skipObject();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void skipObject() {
    pos++;
    skipSpace();
    if (pos < s.length() && s.charAt(pos) == '}') {
      pos++;
      return;
    }
    while (true) {
      skipSpace();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw bad();
      }
      string();
      skipSpace();
      expect(':');
      skipSpace();
      skipValue();
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect('}');
      return;
    }
  }

  private void array() {
    pos++;
    skipSpace();
    if (pos < s.length() && s.charAt(pos) == ']') {
      pos++;
      return;
    }
    while (true) {
      skipSpace();
      skipValue();
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect(']');
      return;
    }
  }

  private void literal(String word) {
    if (!s.startsWith(word, pos)) {
      throw bad();
    }
    pos += word.length();
  }

  private void number() {
    if (pos < s.length() && s.charAt(pos) == '-') {
      pos++;
    }
    int digits = pos;
    while (pos < s.length() && "0123456789.eE+-".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos == digits) {
      throw bad();
    }
  }

  private void expect(char c) {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw bad();
    }
    pos++;
  }

  /**
   * Reads the string at pos ('"') and moves past its closing quote; returns its decoded text when
   * it holds escapes, or null when the text between the quotes is the value as written.
   */
  private String string() {
    pos++;
    StringBuilder sb = null;
    int runStart = pos;
    while (true) {
      if (pos >= s.length()) {
        throw bad();
      }
      char c = s.charAt(pos);
      if (c == '"') {
        pos++;
        return sb == null ? null : sb.append(s, runStart, pos - 1).toString();
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder();
      }
      sb.append(s, runStart, pos);
      if (pos + 1 >= s.length()) {
        throw bad();
      }
      char x = s.charAt(pos + 1);
      pos += 2;
      switch (x) {
        case '"', '\\', '/' -> sb.append(x);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw bad();
          }
          sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw bad();
      }
      runStart = pos;
    }
  }
}
