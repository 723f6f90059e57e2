package io.fjord.querier.engine;

/**
 * What the querier knows about one query's execution, for the {@code stats} object of the answer:
 * wall time, the lines and bytes the sources sent, the entries returned, the ingesters asked and
 * the duplicates removed. Immutable.
 */
public record QueryStats(double execTimeSeconds, long linesProcessed, long bytesProcessed, long entriesReturned,
    int ingestersReached, long duplicates) {}
