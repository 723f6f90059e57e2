package io.fjord.logql.ast;

/** {@code | regexp "(?P<name>re)"}: each named group becomes a label. Immutable. */
public record RegexpParserStage(String regex, Position position) implements PipelineStage {}
