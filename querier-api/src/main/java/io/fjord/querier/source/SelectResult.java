package io.fjord.querier.source;

import java.util.List;

/**
 * A source's answer to a {@link SelectRequest}: streams that may overlap and repeat entries (the
 * engine merges and de-duplicates), and how many ingesters were asked (for the query statistics).
 * Immutable.
 */
public record SelectResult(List<TenantStream> streams, int ingestersReached) {
  public static final SelectResult EMPTY = new SelectResult(List.of(), 0);

  public SelectResult {
    streams = List.copyOf(streams);
  }
}
