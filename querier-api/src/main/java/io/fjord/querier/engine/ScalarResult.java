package io.fjord.querier.engine;

/** A metric instant query whose expression is a number ({@code resultType: scalar}). Immutable. */
public record ScalarResult(long timeNanos, double value, QueryStats stats) implements QueryResult {}
