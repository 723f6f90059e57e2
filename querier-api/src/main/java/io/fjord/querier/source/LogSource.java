package io.fjord.querier.source;

import java.util.List;

/**
 * Where the querier reads log data from: the ingesters (recent, unflushed data) and, later, the
 * chunk store (flushed data). Deliberately narrow: a source answers for the tenants it is given and
 * no others, may return overlapping or repeated entries (the engine merges and de-duplicates), and
 * reports a failure by throwing an {@link io.fjord.common.http.ApiException} that says which part of
 * it failed. It never returns partial data silently. Implementations are thread-safe.
 */
public interface LogSource {

  /** The entries of a log query: at least the first {@code limit} of them in the asked direction. */
  SelectResult select(SelectRequest request);

  /** Label names or the values of one label; any order, duplicates allowed. */
  List<String> labels(LabelsRequest request);

  /** Matching series; any order, duplicates allowed. */
  List<TenantSeries> series(SeriesRequest request);

  /**
   * The samples of a metric query's range aggregation. Unlike {@link #select}, every entry must
   * be counted once: a source that may see an entry twice (e.g. two ingesters both holding a
   * partition while it moves) removes the repetition itself.
   */
  SampleResult samples(SampleRequest request);
}
