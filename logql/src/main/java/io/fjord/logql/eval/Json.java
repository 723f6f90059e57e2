package io.fjord.logql.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A small JSON reader for log lines: builds a tree whose scalars keep their source text (so
 * numbers print exactly as written, {@code -0.0} or {@code 12345678901234567890}) and whose
 * containers remember their source span (extracted as raw JSON text). Strings are decoded.
 * Throws {@link IllegalArgumentException} on malformed input. Stateless, thread-safe.
 */
final class Json {
  private Json() {}

  /** A JSON value. */
  sealed interface Node permits Obj, Arr, Str, Raw, Null {}

  /** An object; keys in document order, duplicates kept. */
  record Obj(List<String> keys, List<Node> values, int start, int end) implements Node {
    Node get(String key) {
      for (int i = 0; i < keys.size(); i++) {
        if (keys.get(i).equals(key)) {
          return values.get(i);
        }
      }
      return null;
    }
  }

  record Arr(List<Node> items, int start, int end) implements Node {}

  record Str(String value) implements Node {}

  /** A number, {@code true} or {@code false}, as written. */
  record Raw(String text) implements Node {}

  record Null() implements Node {}

  static Node parse(String s) {
    Reader r = new Reader(s);
    r.skipSpace();
    Node n = r.value();
    r.skipSpace();
    if (r.pos != s.length()) {
      throw new IllegalArgumentException("unexpected content after the JSON value");
    }
    return n;
  }

  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    Node value() {
      if (pos >= s.length()) {
        throw new IllegalArgumentException("unexpected end of input");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{': return object();
        case '[': return array();
        case '"': return new Str(string());
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n':
          literal("null");
          return new Null();
        default:
          return number();
      }
    }

    private Node literal(String word) {
      if (!s.startsWith(word, pos)) {
        throw new IllegalArgumentException("invalid literal at " + pos);
      }
      pos += word.length();
      return new Raw(word);
    }

    private Node number() {
      int start = pos;
      if (pos < s.length() && s.charAt(pos) == '-') {
        pos++;
      }
      int digits = pos;
      while (pos < s.length() && "0123456789.eE+-".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
      if (pos == digits) {
        throw new IllegalArgumentException("invalid character at " + start);
      }
      return new Raw(s.substring(start, pos));
    }

    private Obj object() {
      int start = pos;
      pos++;
      List<String> keys = new ArrayList<>();
      List<Node> values = new ArrayList<>();
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return new Obj(keys, values, start, pos);
      }
      while (true) {
        skipSpace();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw new IllegalArgumentException("expected a key at " + pos);
        }
        keys.add(string());
        skipSpace();
        expect(':');
        skipSpace();
        values.add(value());
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect('}');
        return new Obj(keys, values, start, pos);
      }
    }

    private Arr array() {
      int start = pos;
      pos++;
      List<Node> items = new ArrayList<>();
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return new Arr(items, start, pos);
      }
      while (true) {
        skipSpace();
        items.add(value());
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect(']');
        return new Arr(items, start, pos);
      }
    }

    private void expect(char c) {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + pos);
      }
      pos++;
    }

    private String string() {
      pos++;
      StringBuilder sb = null;
      int runStart = pos;
      while (true) {
        if (pos >= s.length()) {
          throw new IllegalArgumentException("unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          String tail = s.substring(runStart, pos);
          pos++;
          return sb == null ? tail : sb.append(tail).toString();
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
          throw new IllegalArgumentException("unterminated string");
        }
        char e = s.charAt(pos + 1);
        pos += 2;
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw new IllegalArgumentException("invalid unicode escape");
            }
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> throw new IllegalArgumentException("invalid escape");
        }
        runStart = pos;
      }
    }
  }
}
