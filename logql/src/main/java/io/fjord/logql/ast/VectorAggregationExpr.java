package io.fjord.logql.ast;

import java.util.Optional;

/**
 * {@code op [by|without (...)] ([k,] expr)} or {@code op([k,] expr) [by|without (...)]}; {@code k} only
 * for {@code topk}/{@code bottomk}. Immutable.
 */
public record VectorAggregationExpr(VectorOp op, SampleExpr inner, Optional<Integer> parameter,
    Optional<Grouping> grouping, Position position) implements SampleExpr {}
