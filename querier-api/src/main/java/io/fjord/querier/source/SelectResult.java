package io.fjord.querier.source;

import java.util.List;

/**
 * A source's answer to a {@link SelectRequest}: streams that may overlap and repeat entries (the
 * engine merges and de-duplicates), and, for the query statistics, how many ingesters were asked
 * and how many entries (and bytes of lines) the source read for it before the pipeline (0 when it
 * does not say). Immutable.
 */
public record SelectResult(List<TenantStream> streams, int ingestersReached, long entriesScanned,
    long bytesScanned) {
  public static final SelectResult EMPTY = new SelectResult(List.of(), 0);

  public SelectResult {
    streams = List.copyOf(streams);
  }

  /** An answer without scan counts. */
  public SelectResult(List<TenantStream> streams, int ingestersReached) {
    this(streams, ingestersReached, 0, 0);
  }
}
