package io.fjord.querier.source;

import java.util.List;

/**
 * A source's answer to a {@link SampleRequest}: series, several of which may have the same tenant
 * and labels (the engine merges them), each entry counted once; and how many ingesters were asked
 * (for the query statistics). Immutable.
 */
public record SampleResult(List<TenantSamples> series, int ingestersReached) {
  public static final SampleResult EMPTY = new SampleResult(List.of(), 0);

  public SampleResult {
    series = List.copyOf(series);
  }
}
