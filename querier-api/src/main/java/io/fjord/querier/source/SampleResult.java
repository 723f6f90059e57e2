package io.fjord.querier.source;

import java.util.List;

/**
 * A source's answer to a {@link SampleRequest}: series, several of which may have the same tenant
 * and labels (the engine merges them), each entry counted once; and, for the query statistics, how
 * many ingesters were asked and how many entries (and bytes of lines) they read. Immutable.
 */
public record SampleResult(List<TenantSamples> series, int ingestersReached, long entriesScanned,
    long bytesScanned) {
  public static final SampleResult EMPTY = new SampleResult(List.of(), 0);

  public SampleResult {
    series = List.copyOf(series);
  }

  /** An answer without scan counts. */
  public SampleResult(List<TenantSamples> series, int ingestersReached) {
    this(series, ingestersReached, 0, 0);
  }
}
