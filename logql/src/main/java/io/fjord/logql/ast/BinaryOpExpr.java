package io.fjord.logql.ast;

import java.util.Optional;

/** {@code lhs op [bool] [on|ignoring (...)] [group_left|group_right (...)] rhs}. Immutable. */
public record BinaryOpExpr(BinaryOp op, SampleExpr lhs, SampleExpr rhs, boolean returnBool,
    Optional<VectorMatching> matching, Position position) implements SampleExpr {}
