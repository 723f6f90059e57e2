package io.fjord.logql.ast;

import java.util.Optional;

/**
 * {@code op([param,] logRange) [by|without (...)]}, e.g. {@code rate({a="b"}[5m])} or
 * {@code quantile_over_time(0.99, {a="b"} | unwrap d [5m]) by (x)}. Immutable.
 */
public record RangeAggregationExpr(RangeOp op, LogRange range, Optional<Double> parameter,
    Optional<Grouping> grouping, Position position) implements SampleExpr {}
