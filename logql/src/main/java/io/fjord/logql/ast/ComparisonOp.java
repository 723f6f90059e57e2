package io.fjord.logql.ast;

/** A comparison of a converted label value with a literal: {@code == (or =) != > >= < <=}. */
public enum ComparisonOp {
  EQ("=="), NEQ("!="), GT(">"), GTE(">="), LT("<"), LTE("<=");

  private final String symbol;

  ComparisonOp(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** Applies the comparison to {@code Double.compare}-style operands. */
  public boolean test(double left, double right) {
    return switch (this) {
      case EQ -> left == right;
      case NEQ -> left != right;
      case GT -> left > right;
      case GTE -> left >= right;
      case LT -> left < right;
      case LTE -> left <= right;
    };
  }
}
