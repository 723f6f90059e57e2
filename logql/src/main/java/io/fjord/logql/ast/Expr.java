package io.fjord.logql.ast;

/**
 * A parsed LogQL query: either a log query ({@link LogSelectorExpr}) or a metric query
 * ({@link SampleExpr}). All implementations are immutable records.
 */
public sealed interface Expr permits LogSelectorExpr, SampleExpr {
  Position position();
}
