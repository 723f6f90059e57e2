package io.fjord.logql.ast;

/** {@code vector(1)}: a one-element vector with no labels. Immutable. */
public record VectorExpr(double value, Position position) implements SampleExpr {}
