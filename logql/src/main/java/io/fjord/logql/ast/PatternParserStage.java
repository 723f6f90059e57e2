package io.fjord.logql.ast;

/** {@code | pattern "<ip> - <_> <status>"}: each named capture becomes a label. Immutable. */
public record PatternParserStage(String pattern, Position position) implements PipelineStage {}
