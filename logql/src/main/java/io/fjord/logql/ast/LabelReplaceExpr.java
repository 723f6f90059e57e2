package io.fjord.logql.ast;

/** {@code label_replace(expr, "dst", "replacement", "src", "regex")}; the regex is fully anchored. */
public record LabelReplaceExpr(SampleExpr inner, String destination, String replacement, String source,
    String regex, Position position) implements SampleExpr {}
