package io.fjord.logql.ast;

/** A label matching operator: {@code =}, {@code !=}, {@code =~}, {@code !~}. */
public enum MatchType {
  EQ("="), NEQ("!="), RE("=~"), NRE("!~");

  private final String symbol;

  MatchType(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public boolean isRegex() {
    return this == RE || this == NRE;
  }

  public boolean isNegative() {
    return this == NEQ || this == NRE;
  }
}
