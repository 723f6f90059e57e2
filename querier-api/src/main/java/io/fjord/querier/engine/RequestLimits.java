package io.fjord.querier.engine;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.ApiException;
import java.time.Duration;

/**
 * Checks a query against the limits before anything is read: the range (end not before start, not
 * longer than {@code max_query_length}), the entry limit ({@code max_entries_limit_per_query}) and
 * the metric step (positive, at most 11,000 points). Violations are 400s with Loki's texts, so
 * clients that match on them keep working. Also says how a query's work is split ({@link #split()}).
 * Immutable and thread-safe.
 */
public final class RequestLimits {
  static final long MAX_POINTS = 11_000;
  private final LimitsConfig limits;

  public RequestLimits(LimitsConfig limits) {
    this.limits = limits;
  }

  /** Throws a 400 when {@code end < start} or the range is longer than {@code max_query_length}. */
  public void checkRange(long startNanos, long endNanos) {
    if (endNanos < startNanos) {
      throw ApiException.badRequest("end timestamp must not be before or equal to start time");
    }
    Duration max = limits.maxQueryLength();
    Duration length = Duration.ofNanos(endNanos - startNanos);
    if (!max.isZero() && length.compareTo(max) > 0) {
      throw ApiException.badRequest("the query time range exceeds the limit (query length: "
          + GoDuration.format(length) + ", limit: " + GoDuration.format(max) + ")");
    }
  }

  /** Throws a 400 when {@code limit} is above {@code max_entries_limit_per_query} (0 = no maximum). */
  public void checkEntryLimit(int limit) {
    int max = limits.maxEntriesLimitPerQuery();
    if (max != 0 && limit > max) {
      throw ApiException.badRequest(
          "max entries limit per query exceeded, limit > max_entries_limit (" + limit + " > " + max + ")");
    }
  }

  /** Throws a 400 when the step is not positive or would give more than 11,000 points. */
  public void checkStep(long startNanos, long endNanos, long stepNanos) {
    if (stepNanos <= 0) {
      throw ApiException.badRequest(
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if ((endNanos - startNanos) / stepNanos > MAX_POINTS) {
      throw ApiException.badRequest("exceeded maximum resolution of 11,000 points per time series. "
          + "Try increasing the value of the step parameter");
    }
  }

  /** How a query's work is split ({@code split_queries_by_interval}, {@code max_query_parallelism}). */
  public QuerySplit split() {
    return QuerySplit.of(limits);
  }

  /** Checks everything a {@code query_range} request is subject to. */
  public void check(RangeQuery q) {
    checkRange(q.startNanos(), q.endNanos());
    checkEntryLimit(q.limit());
    checkStep(q.startNanos(), q.endNanos(), q.stepNanos());
  }
}
