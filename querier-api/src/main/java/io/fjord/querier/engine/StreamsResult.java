package io.fjord.querier.engine;

import java.util.List;

/** A log query's answer: streams sorted by labels, entries in the query's direction. Immutable. */
public record StreamsResult(List<ResultStream> streams, QueryStats stats) implements QueryResult {
  public StreamsResult {
    streams = List.copyOf(streams);
  }
}
