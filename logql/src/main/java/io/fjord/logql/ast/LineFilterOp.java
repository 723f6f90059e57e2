package io.fjord.logql.ast;

/** The line filter operators: contains, not contains, regex, not regex, pattern, not pattern. */
public enum LineFilterOp {
  CONTAINS("|="), NOT_CONTAINS("!="), MATCH("|~"), NOT_MATCH("!~"), PATTERN("|>"), NOT_PATTERN("!>");

  private final String symbol;

  LineFilterOp(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** True for the operators that keep lines which do NOT match. */
  public boolean isNegative() {
    return this == NOT_CONTAINS || this == NOT_MATCH || this == NOT_PATTERN;
  }
}
