package io.fjord.logql.lexer;

import io.fjord.logql.LogQLException;
import io.fjord.logql.units.ByteSizes;
import io.fjord.logql.units.GoDurations;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Turns LogQL text into tokens on demand (lazily, so that a syntax error earlier in the query is
 * reported before a lexical error later in it, as Loki does). Positions are 1-based lines and
 * columns counted in code points; the end of input is reported one column past the last character.
 * Double-quoted strings take Go escapes, backtick strings are raw; {@code #} starts a comment.
 * Single-use and not thread-safe.
 */
public final class Lexer {
  static final Set<String> KEYWORDS = Set.of(
      "by", "without", "bool", "on", "ignoring", "group_left", "group_right", "offset", "or", "and",
      "unless", "json", "logfmt", "regexp", "pattern", "unpack", "line_format", "label_format", "unwrap",
      "decolorize", "drop", "keep");
  static final Set<String> FUNCTIONS = Set.of(
      "count_over_time", "rate", "rate_counter", "bytes_over_time", "bytes_rate", "avg_over_time",
      "sum_over_time", "min_over_time", "max_over_time", "stdvar_over_time", "stddev_over_time",
      "quantile_over_time", "first_over_time", "last_over_time", "absent_over_time",
      "sum", "avg", "count", "max", "min", "stddev", "stdvar", "bottomk", "topk", "sort", "sort_desc",
      "ip", "label_replace", "vector", "bytes", "duration", "duration_seconds");
  private static final Set<String> AGGREGATIONS = Set.of(
      "sum", "avg", "count", "max", "min", "stddev", "stdvar", "bottomk", "topk", "sort", "sort_desc",
      "avg_over_time", "min_over_time", "max_over_time", "stdvar_over_time", "stddev_over_time",
      "quantile_over_time", "first_over_time", "last_over_time");

  private final String src;
  private int pos;
  private int line = 1;
  private int col = 1;

  public Lexer(String src) {
    this.src = src;
  }

  /** The next token; {@link TokenType#EOF} forever once the input is consumed. */
  public Token next() {
    skipSpaceAndComments();
    int startLine = line;
    int startCol = col;
    if (pos >= src.length()) {
      return new Token(TokenType.EOF, "", "", startLine, startCol);
    }
    char c = src.charAt(pos);
    switch (c) {
      case '{': return single(TokenType.OPEN_BRACE, startLine, startCol);
      case '}': return single(TokenType.CLOSE_BRACE, startLine, startCol);
      case '(': return single(TokenType.OPEN_PARENTHESIS, startLine, startCol);
      case ')': return single(TokenType.CLOSE_PARENTHESIS, startLine, startCol);
      case ',': return single(TokenType.COMMA, startLine, startCol);
      case '+': return single(TokenType.ADD, startLine, startCol);
      case '*': return single(TokenType.MUL, startLine, startCol);
      case '/': return single(TokenType.DIV, startLine, startCol);
      case '%': return single(TokenType.MOD, startLine, startCol);
      case '^': return single(TokenType.POW, startLine, startCol);
      case '[': return range(startLine, startCol);
      case '"': return quoted(startLine, startCol);
      case '`': return raw(startLine, startCol);
      case '=': return twoChar(startLine, startCol, TokenType.EQ, '=', TokenType.CMP_EQ, '~', TokenType.RE);
      case '>': return twoChar(startLine, startCol, TokenType.GT, '=', TokenType.GTE, '\0', null);
      case '<': return twoChar(startLine, startCol, TokenType.LT, '=', TokenType.LTE, '\0', null);
      case '|': {
        if (peekChar(1) == '>') {
          return advanceToken(TokenType.PIPE_PATTERN, 2, startLine, startCol);
        }
        return twoChar(startLine, startCol, TokenType.PIPE, '=', TokenType.PIPE_EXACT, '~', TokenType.PIPE_MATCH);
      }
      case '!': {
        char d = peekChar(1);
        if (d == '=') {
          return advanceToken(TokenType.NEQ, 2, startLine, startCol);
        } else if (d == '~') {
          return advanceToken(TokenType.NRE, 2, startLine, startCol);
        } else if (d == '>') {
          return advanceToken(TokenType.NPA, 2, startLine, startCol);
        }
        throw new LogQLException("syntax error: unexpected $unk", startLine, startCol);
      }
      case '-': {
        if (peekChar(1) == '-' && isIdentStart(peekChar(2))) {
          int start = pos;
          advance(2);
          while (pos < src.length() && (isIdentPart(src.charAt(pos)) || src.charAt(pos) == '-')) {
            advance(1);
          }
          String text = src.substring(start, pos);
          return new Token(TokenType.PARSER_FLAG, text, text, startLine, startCol);
        }
        return single(TokenType.SUB, startLine, startCol);
      }
      default:
        break;
    }
    if (isDigit(c) || (c == '.' && isDigit(peekChar(1)))) {
      return number(startLine, startCol);
    }
    if (isIdentStart(c)) {
      return word(startLine, startCol);
    }
    throw new LogQLException("syntax error: unexpected $unk", startLine, startCol);
  }

  private Token word(int startLine, int startCol) {
    int start = pos;
    while (pos < src.length() && isIdentPart(src.charAt(pos))) {
      advance(1);
    }
    String w = src.substring(start, pos);
    TokenType type = TokenType.IDENTIFIER;
    if (KEYWORDS.contains(w)) {
      type = TokenType.KEYWORD;
    } else if (FUNCTIONS.contains(w) && followedByCall(w)) {
      type = TokenType.FUNCTION;
    }
    return new Token(type, w, w, startLine, startCol);
  }

  /** A function word is a function only before {@code (}, or (aggregations) before by/without. */
  private boolean followedByCall(String w) {
    int i = pos;
    while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
      i++;
    }
    if (i < src.length() && src.charAt(i) == '(') {
      return true;
    }
    if (AGGREGATIONS.contains(w)) {
      int j = i;
      while (j < src.length() && isIdentPart(src.charAt(j))) {
        j++;
      }
      String next = src.substring(i, j);
      return next.equals("by") || next.equals("without");
    }
    return false;
  }

  private Token number(int startLine, int startCol) {
    int start = pos;
    if (src.startsWith("0x", pos) || src.startsWith("0X", pos)) {
      int i = pos + 2;
      while (i < src.length() && Character.digit(src.charAt(i), 16) >= 0) {
        i++;
      }
      if (i > pos + 2) {
        String text = src.substring(start, i);
        advance(i - pos);
        return new Token(TokenType.NUMBER, text, text, startLine, startCol);
      }
    }
    int i = pos;
    while (i < src.length() && isDigit(src.charAt(i))) {
      i++;
    }
    if (i < src.length() && src.charAt(i) == '.') {
      i++;
      while (i < src.length() && isDigit(src.charAt(i))) {
        i++;
      }
    }
    if (i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < src.length() && (src.charAt(j) == '+' || src.charAt(j) == '-')) {
        j++;
      }
      if (j < src.length() && isDigit(src.charAt(j))) {
        while (j < src.length() && isDigit(src.charAt(j))) {
          j++;
        }
        i = j;
      }
    }
    int numberEnd = i;
    if (i < src.length() && isUnitChar(src.charAt(i))) {
      int j = start;
      while (j < src.length() && (isUnitChar(src.charAt(j)) || isDigit(src.charAt(j)) || src.charAt(j) == '.')) {
        j++;
      }
      String candidate = src.substring(start, j);
      TokenType t = null;
      try {
        GoDurations.parseNanos(candidate);
        t = TokenType.DURATION;
      } catch (IllegalArgumentException notDuration) {
        try {
          ByteSizes.parse(candidate);
          t = TokenType.BYTES;
        } catch (IllegalArgumentException notBytes) {
          // falls back to a NUMBER followed by whatever the letters lex as
        }
      }
      if (t != null) {
        advance(j - pos);
        return new Token(t, candidate, candidate, startLine, startCol);
      }
    }
    String text = src.substring(start, numberEnd);
    advance(numberEnd - pos);
    return new Token(TokenType.NUMBER, text, text, startLine, startCol);
  }

  /**
   * {@code [5m]}: the duration up to {@code ]}. As in Loki, an invalid duration is reported at
   * line 0 and the column of {@code [}.
   */
  private Token range(int startLine, int startCol) {
    int close = src.indexOf(']', pos);
    if (close < 0) {
      throw new LogQLException("missing closing ']' in duration", 0, startCol);
    }
    String text = src.substring(pos, close + 1);
    String inner = src.substring(pos + 1, close).trim();
    try {
      GoDurations.parseNanos(inner);
    } catch (IllegalArgumentException e) {
      throw new LogQLException(stripTimePrefix(e.getMessage()), 0, startCol);
    }
    advance(close + 1 - pos);
    return new Token(TokenType.RANGE, text, inner, startLine, startCol);
  }

  private static String stripTimePrefix(String msg) {
    return msg.startsWith("time: ") ? msg.substring(6) : msg;
  }

  private Token raw(int startLine, int startCol) {
    int close = src.indexOf('`', pos + 1);
    if (close < 0) {
      throw new LogQLException("literal not terminated", startLine, startCol);
    }
    String text = src.substring(pos, close + 1);
    advance(close + 1 - pos);
    return new Token(TokenType.STRING, text, text.substring(1, text.length() - 1), startLine, startCol);
  }

  private Token quoted(int startLine, int startCol) {
    int start = pos;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = pos + 1;
    while (true) {
      if (i >= src.length() || src.charAt(i) == '\n') {
        throw new LogQLException("literal not terminated", startLine, startCol);
      }
      char c = src.charAt(i);
      if (c == '"') {
        i++;
        break;
      }
      if (c != '\\') {
        int cp = src.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp);
        continue;
      }
      i = escape(i, out, startLine, startCol);
    }
    String text = src.substring(start, i);
    advance(i - pos);
    return new Token(TokenType.STRING, text, out.toString(StandardCharsets.UTF_8), startLine, startCol);
  }

  /** Decodes the Go escape at {@code i} (a backslash) into {@code out}; returns the index after it. */
  private int escape(int i, ByteArrayOutputStream out, int startLine, int startCol) {
    if (i + 1 >= src.length()) {
      throw new LogQLException("literal not terminated", startLine, startCol);
    }
    char e = src.charAt(i + 1);
    switch (e) {
      case 'a': out.write(7); return i + 2;
      case 'b': out.write(8); return i + 2;
      case 'f': out.write(12); return i + 2;
      case 'n': out.write('\n'); return i + 2;
      case 'r': out.write('\r'); return i + 2;
      case 't': out.write('\t'); return i + 2;
      case 'v': out.write(11); return i + 2;
      case '\\': out.write('\\'); return i + 2;
      case '"': out.write('"'); return i + 2;
      case 'x': return hexEscape(i, 2, out, startLine, startCol, true);
      case 'u': return hexEscape(i, 4, out, startLine, startCol, false);
      case 'U': return hexEscape(i, 8, out, startLine, startCol, false);
      default:
        if (e >= '0' && e <= '7') {
          if (i + 4 > src.length()) {
            throw new LogQLException("invalid char escape", startLine, startCol);
          }
          String oct = src.substring(i + 1, i + 4);
          if (!oct.matches("[0-7]{3}") || Integer.parseInt(oct, 8) > 255) {
            throw new LogQLException("invalid char escape", startLine, startCol);
          }
          out.write(Integer.parseInt(oct, 8));
          return i + 4;
        }
        throw new LogQLException("invalid char escape", startLine, startCol);
    }
  }

  private int hexEscape(int i, int digits, ByteArrayOutputStream out, int startLine, int startCol, boolean rawByte) {
    int end = i + 2 + digits;
    if (end > src.length()) {
      throw new LogQLException("invalid char escape", startLine, startCol);
    }
    String hex = src.substring(i + 2, end);
    for (int k = 0; k < hex.length(); k++) {
      if (Character.digit(hex.charAt(k), 16) < 0) {
        throw new LogQLException("invalid char escape", startLine, startCol);
      }
    }
    long v = Long.parseLong(hex, 16);
    if (rawByte) {
      out.write((int) v);
    } else {
      if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
        throw new LogQLException("invalid char escape", startLine, startCol);
      }
      byte[] b = new String(Character.toChars((int) v)).getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
    }
    return end;
  }

  private Token twoChar(int startLine, int startCol, TokenType one, char second1, TokenType two1, char second2,
      TokenType two2) {
    char d = peekChar(1);
    if (d == second1 && second1 != '\0') {
      return advanceToken(two1, 2, startLine, startCol);
    }
    if (two2 != null && d == second2) {
      return advanceToken(two2, 2, startLine, startCol);
    }
    return advanceToken(one, 1, startLine, startCol);
  }

  private Token single(TokenType t, int startLine, int startCol) {
    return advanceToken(t, 1, startLine, startCol);
  }

  private Token advanceToken(TokenType t, int len, int startLine, int startCol) {
    String text = src.substring(pos, pos + len);
    advance(len);
    return new Token(t, text, text, startLine, startCol);
  }

  private void skipSpaceAndComments() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          advance(1);
        }
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance(1);
      } else {
        return;
      }
    }
  }

  /** Moves {@code n} chars forward, keeping line and code-point column up to date. */
  private void advance(int n) {
    int end = pos + n;
    while (pos < end) {
      char c = src.charAt(pos);
      if (c == '\n') {
        line++;
        col = 1;
      } else if (!Character.isLowSurrogate(c)) {
        col++;
      }
      pos++;
    }
  }

  private char peekChar(int offset) {
    int i = pos + offset;
    return i < src.length() ? src.charAt(i) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isUnitChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\u00b5' || c == '\u03bc';
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }
}
