package io.fjord.querier.source;

import io.fjord.logql.ast.Grouping;
import io.fjord.schemas.ingester.IngesterProtocol;
import java.util.List;
import java.util.Objects;

/**
 * The samples of one range aggregation of a metric query, as a source sees the request: the
 * tenants, the range aggregation as LogQL text (its selector, pipeline, unwrap and grouping say
 * which entries give which samples; its range and offset do not matter here), the grouping to use
 * instead of the aggregation's own ({@code null}: its own), the entries wanted,
 * {@code startNanos <= ts < endNanos}, and the buckets to sum samples into ({@code
 * bucketWidthNanos == 0}: none; see {@link IngesterProtocol.SamplesRequest}). {@code excludeChunks}
 * lists object keys of flushed chunks whose entries the caller has already counted from the chunk
 * store: a source holding such a chunk must leave it out, so that no entry is counted twice.
 * Immutable.
 */
public record SampleRequest(List<String> tenants, String query, Grouping grouping, long startNanos, long endNanos,
    long bucketWidthNanos, long bucketAlignNanos, List<String> excludeChunks) {
  public SampleRequest {
    tenants = List.copyOf(tenants);
    Objects.requireNonNull(query, "query");
    excludeChunks = excludeChunks == null ? List.of() : List.copyOf(excludeChunks);
  }

  /** A request that excludes no chunks. */
  public SampleRequest(List<String> tenants, String query, Grouping grouping, long startNanos, long endNanos,
      long bucketWidthNanos, long bucketAlignNanos) {
    this(tenants, query, grouping, startNanos, endNanos, bucketWidthNanos, bucketAlignNanos, List.of());
  }

  /** A request without buckets: one sample per entry. */
  public SampleRequest(List<String> tenants, String query, Grouping grouping, long startNanos, long endNanos) {
    this(tenants, query, grouping, startNanos, endNanos, 0, 0);
  }

  /** This request, leaving out the chunks {@code keys}. */
  public SampleRequest excluding(List<String> keys) {
    return new SampleRequest(tenants, query, grouping, startNanos, endNanos, bucketWidthNanos, bucketAlignNanos, keys);
  }

  /** The timestamp a sample at {@code ts} is summed into. */
  public long bucketOf(long ts) {
    return IngesterProtocol.bucketEnd(ts, bucketAlignNanos, bucketWidthNanos);
  }
}
