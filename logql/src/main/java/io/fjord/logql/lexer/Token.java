package io.fjord.logql.lexer;

import java.util.Locale;
import java.util.Map;

/**
 * One lexed token: its type, its source text, its decoded value (the unquoted string for
 * {@link TokenType#STRING}, the duration text for {@link TokenType#RANGE}, the word otherwise) and
 * its 1-based position. Immutable.
 */
public record Token(TokenType type, String text, String value, int line, int column) {
  private static final Map<String, String> SPECIAL_NAMES = Map.of(
      "line_format", "LINE_FMT", "label_format", "LABEL_FMT", "bytes", "BYTES_CONV",
      "duration", "DURATION_CONV", "duration_seconds", "DURATION_SECONDS_CONV");

  public boolean is(TokenType t) {
    return type == t;
  }

  /** True when this is the keyword or function {@code word}. */
  public boolean isWord(String word) {
    return (type == TokenType.KEYWORD || type == TokenType.FUNCTION) && value.equals(word);
  }

  /** The name Loki's parser gives this token in a syntax error. */
  public String lokiName() {
    if (type == TokenType.KEYWORD || type == TokenType.FUNCTION) {
      return SPECIAL_NAMES.getOrDefault(value, value.toUpperCase(Locale.ROOT));
    }
    return type.lokiName();
  }
}
