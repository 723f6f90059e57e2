package io.fjord.querier.source;

import java.util.List;
import java.util.Objects;

/**
 * A log query as a source sees it: the tenants it covers, the LogQL log query (selector and
 * pipeline) as text, the range {@code startNanos <= ts < endNanos}, and the first {@code limit}
 * entries wanted in {@code direction}. {@code excludeChunks} lists object keys of flushed chunks
 * whose entries the caller already has from the chunk store: a source holding such a chunk (an
 * ingester keeping it for {@code chunk_retain_period}) may leave it out (see schemas/FORMATS.md,
 * "Flushed chunks: excludeChunks"). Immutable.
 */
public record SelectRequest(List<String> tenants, String query, long startNanos, long endNanos, int limit,
    Direction direction, List<String> excludeChunks) {
  public SelectRequest {
    tenants = List.copyOf(tenants);
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(direction, "direction");
    excludeChunks = excludeChunks == null ? List.of() : List.copyOf(excludeChunks);
  }

  /** A request that excludes no chunks. */
  public SelectRequest(List<String> tenants, String query, long startNanos, long endNanos, int limit,
      Direction direction) {
    this(tenants, query, startNanos, endNanos, limit, direction, List.of());
  }

  /** This request, leaving out the chunks {@code keys}. */
  public SelectRequest excluding(List<String> keys) {
    return new SelectRequest(tenants, query, startNanos, endNanos, limit, direction, keys);
  }
}
