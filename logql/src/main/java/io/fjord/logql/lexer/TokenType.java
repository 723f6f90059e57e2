package io.fjord.logql.lexer;

/**
 * The kinds of LogQL tokens. {@link #lokiName()} is the name Loki's parser prints in syntax
 * errors ({@code unexpected IDENTIFIER, expecting STRING}); keywords and functions print the
 * upper-cased word, see {@link Token#lokiName()}.
 */
public enum TokenType {
  EOF("$end"),
  IDENTIFIER("IDENTIFIER"),
  STRING("STRING"),
  NUMBER("NUMBER"),
  DURATION("DURATION"),
  BYTES("BYTES"),
  /** {@code [5m]}: the text is the duration between the brackets. */
  RANGE("RANGE"),
  /** A reserved word such as {@code by}, {@code json}, {@code or}, {@code offset}. */
  KEYWORD("KEYWORD"),
  /** A function name ({@code rate}, {@code sum}, {@code ip}, ...) followed by {@code (} or a grouping. */
  FUNCTION("FUNCTION"),
  /** {@code --strict}, {@code --keep-empty}. */
  PARSER_FLAG("PARSER_FLAG"),
  OPEN_BRACE("OPEN_BRACE"),
  CLOSE_BRACE("CLOSE_BRACE"),
  OPEN_PARENTHESIS("OPEN_PARENTHESIS"),
  CLOSE_PARENTHESIS("CLOSE_PARENTHESIS"),
  COMMA("COMMA"),
  EQ("EQ"),
  NEQ("NEQ"),
  RE("RE"),
  NRE("NRE"),
  PIPE_EXACT("PIPE_EXACT"),
  PIPE_MATCH("PIPE_MATCH"),
  PIPE_PATTERN("PIPE_PATTERN"),
  NPA("NPA"),
  PIPE("PIPE"),
  CMP_EQ("CMP_EQ"),
  GT("GT"),
  GTE("GTE"),
  LT("LT"),
  LTE("LTE"),
  ADD("ADD"),
  SUB("SUB"),
  MUL("MUL"),
  DIV("DIV"),
  MOD("MOD"),
  POW("POW");

  private final String lokiName;

  TokenType(String lokiName) {
    this.lokiName = lokiName;
  }

  public String lokiName() {
    return lokiName;
  }
}
