package io.fjord.querier.source;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Asks its delegate only about ranges that reach into the recent past: a query whose range ends more
 * than {@code within} before now gets an empty answer without a call. This is Loki's
 * {@code query_ingesters_within}: the ingesters hold only data not yet flushed, which is recent.
 * The start of the range is passed on unclipped (an overlap is merged away; a gap would lose data).
 * {@code within == 0} always asks. Thread-safe if the delegate is.
 */
public final class RecentOnlySource implements LogSource {
  private final LogSource delegate;
  private final long withinNanos;
  private final Clock clock;

  public RecentOnlySource(LogSource delegate, Duration within, Clock clock) {
    this.delegate = delegate;
    this.withinNanos = within.toNanos();
    this.clock = clock;
  }

  @Override
  public SelectResult select(SelectRequest request) {
    return reachesRecentPast(request.endNanos()) ? delegate.select(request) : SelectResult.EMPTY;
  }

  @Override
  public List<String> labels(LabelsRequest request) {
    return reachesRecentPast(request.endNanos()) ? delegate.labels(request) : List.of();
  }

  @Override
  public List<TenantSeries> series(SeriesRequest request) {
    return reachesRecentPast(request.endNanos()) ? delegate.series(request) : List.of();
  }

  @Override
  public SampleResult samples(SampleRequest request) {
    return reachesRecentPast(request.endNanos()) ? delegate.samples(request) : SampleResult.EMPTY;
  }

  private boolean reachesRecentPast(long endNanos) {
    if (withinNanos == 0) {
      return true;
    }
    long nowNanos = Math.multiplyExact(clock.millis(), 1_000_000L);
    return endNanos > nowNanos - withinNanos;
  }
}
