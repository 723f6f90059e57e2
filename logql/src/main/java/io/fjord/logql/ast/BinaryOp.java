package io.fjord.logql.ast;

/**
 * The binary operators with Loki's (Prometheus') precedence, higher binds tighter:
 * {@code or} 1; {@code and unless} 2; comparisons 3; {@code + -} 4; {@code * / %} 5; {@code ^} 6 (right-associative).
 */
public enum BinaryOp {
  OR("or", 1), AND("and", 2), UNLESS("unless", 2),
  EQ("==", 3), NEQ("!=", 3), GT(">", 3), GTE(">=", 3), LT("<", 3), LTE("<=", 3),
  ADD("+", 4), SUB("-", 4), MUL("*", 5), DIV("/", 5), MOD("%", 5), POW("^", 6);

  private final String symbol;
  private final int precedence;

  BinaryOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  public String symbol() {
    return symbol;
  }

  public int precedence() {
    return precedence;
  }

  public boolean isRightAssociative() {
    return this == POW;
  }

  public boolean isComparison() {
    return precedence == 3;
  }

  public boolean isSetOperator() {
    return this == OR || this == AND || this == UNLESS;
  }
}
