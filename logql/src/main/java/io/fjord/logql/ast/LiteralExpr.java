package io.fjord.logql.ast;

/** A number literal (a scalar), sign included: {@code -1}, {@code 0.5}. Immutable. */
public record LiteralExpr(double value, Position position) implements SampleExpr {}
