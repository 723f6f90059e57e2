package io.fjord.logql.ast;

/**
 * One parameter of {@code | json} or {@code | logfmt}: extract {@code expression} (a JSON path or
 * a logfmt key) into label {@code label}. {@code | json a} is {@code a="a"}. Immutable.
 */
public record LabelExtraction(String label, String expression, Position position) {}
