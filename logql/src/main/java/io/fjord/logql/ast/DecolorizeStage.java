package io.fjord.logql.ast;

/** {@code | decolorize}: strips ANSI color escape sequences from the line. */
public record DecolorizeStage(Position position) implements PipelineStage {}
