package io.fjord.schemas.labels;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a label set written in selector form, {@code {app="api", env="prod"}}, as the protobuf
 * push carries it. Values are double-quoted Go strings (escapes {@code \" \\ \n \t \r \xNN \\uNNNN})
 * or back-quoted raw strings. Names are returned as written: their syntax is the validator's job,
 * so that it can say which rule a stream broke. Duplicate names are kept for the same reason.
 * Stateless.
 */
public final class LabelsParser {
  private final String s;
  private int pos;

  private LabelsParser(String s) {
    this.s = s;
  }

  /** The pairs in written order; throws {@link LabelsSyntaxException} saying where the text is wrong. */
  public static List<String[]> parsePairs(String text) {
    return new LabelsParser(text).pairs();
  }

  private List<String[]> pairs() {
    List<String[]> out = new ArrayList<>();
    skipSpace();
    expect('{');
    skipSpace();
    if (peek() == '}') {
      pos++;
      return finish(out);
    }
    while (true) {
      skipSpace();
      String name = name();
      skipSpace();
      expect('=');
      skipSpace();
      String value = string();
      out.add(new String[] {name, value});
      skipSpace();
      char c = peek();
      if (c == ',') {
        pos++;
        continue;
      }
      expect('}');
      return finish(out);
    }
  }

  private List<String[]> finish(List<String[]> out) {
    skipSpace();
    if (pos != s.length()) {
      throw error("unexpected text after '}'");
    }
    return out;
  }

  private String name() {
    int start = pos;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '=' || c == ',' || c == '}' || c == '{' || c == '"' || Character.isWhitespace(c)) {
        break;
      }
      pos++;
    }
    if (pos == start) {
      throw error("expected a label name");
    }
    return s.substring(start, pos);
  }

  private String string() {
    char q = peek();
    if (q == '`') {
      int end = s.indexOf('`', pos + 1);
      if (end < 0) {
        throw error("unterminated raw string");
      }
      String v = s.substring(pos + 1, end);
      pos = end + 1;
      return v;
    }
    if (q != '"') {
      throw error("expected a quoted label value");
    }
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '\'' -> sb.append(e);
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'v' -> sb.append('\u000b');
        case 'x' -> sb.append((char) hex(2));
        case 'u' -> sb.appendCodePoint(hex(4));
        case 'U' -> sb.appendCodePoint(hex(8));
        default -> throw error("unknown escape \\" + e);
      }
    }
  }

  private int hex(int digits) {
    if (pos + digits > s.length()) {
      throw error("short escape");
    }
    try {
      int v = Integer.parseInt(s.substring(pos, pos + digits), 16);
      pos += digits;
      return v;
    } catch (NumberFormatException e) {
      throw error("bad hex escape");
    }
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private LabelsSyntaxException error(String why) {
    return new LabelsSyntaxException("invalid labels " + abbreviate(s) + " at offset " + pos + ": " + why);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /** The label text could not be read. */
  public static final class LabelsSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    LabelsSyntaxException(String message) {
      super(message);
    }
  }
}
