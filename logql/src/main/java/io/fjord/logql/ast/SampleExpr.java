package io.fjord.logql.ast;

/** A metric query: an expression that evaluates to samples (a vector or a scalar). */
public sealed interface SampleExpr extends Expr
    permits RangeAggregationExpr, VectorAggregationExpr, BinaryOpExpr, LiteralExpr, VectorExpr,
        LabelReplaceExpr {}
