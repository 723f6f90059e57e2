package io.fjord.logql.ast;

/** A label filter stage {@code | status >= 500 and level="error"}. Immutable. */
public record LabelFilterStage(LabelFilter filter, Position position) implements PipelineStage {}
