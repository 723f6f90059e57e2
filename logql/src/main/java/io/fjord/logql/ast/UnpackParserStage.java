package io.fjord.logql.ast;

/** {@code | unpack}: JSON object fields become labels, {@code _entry} replaces the line. */
public record UnpackParserStage(Position position) implements PipelineStage {}
