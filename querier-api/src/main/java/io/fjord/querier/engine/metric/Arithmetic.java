package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.BinaryOp;

/**
 * The value of a binary operation on two numbers, as Loki computes it: IEEE arithmetic except
 * that dividing by zero gives NaN (not ±Inf), {@code %} is the remainder with the dividend's sign
 * (Go's {@code math.Mod}), {@code ^} is Go's {@code math.Pow}; a comparison gives 1 or 0. Set
 * operators have no numeric value. Stateless.
 */
final class Arithmetic {
  private Arithmetic() {}

  static double apply(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> r == 0 ? Double.NaN : l / r;
      case MOD -> r == 0 ? Double.NaN : l % r;
      case POW -> pow(l, r);
      case EQ, NEQ, GT, GTE, LT, LTE -> compare(op, l, r) ? 1 : 0;
      case OR, AND, UNLESS -> throw new IllegalArgumentException("set operator " + op.symbol() + " on numbers");
    };
  }

  /** The truth of a comparison; any comparison with NaN is false except {@code !=}. */
  static boolean compare(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQ -> l == r;
      case NEQ -> l != r;
      case GT -> l > r;
      case GTE -> l >= r;
      case LT -> l < r;
      case LTE -> l <= r;
      default -> throw new IllegalArgumentException("not a comparison: " + op.symbol());
    };
  }

  /** Go's {@code math.Pow}: like Java's except that 1 to any power, NaN included, is 1. */
  static double pow(double x, double y) {
    return x == 1 ? 1 : Math.pow(x, y);
  }
}
