package io.fjord.logql.ast;

/** {@code | line_format "{{.a}}"}: rewrites the line with a Go text/template. Immutable. */
public record LineFormatStage(String template, Position position) implements PipelineStage {}
