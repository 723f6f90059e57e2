package io.fjord.querier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The querier's meters: {@code fjord_querier_ingesters}, the ingesters discovery currently
 * considers live, and {@code fjord_querier_store_chunks_missing_total}, chunks the chunk index listed
 * but the store no longer held (skipped by queries; deleted by retention in between), both read when scraped. Query latencies are in {@code loki_request_duration_seconds},
 * which the HTTP server keeps for every route. Thread-safe.
 */
public final class QuerierMeters {
  private QuerierMeters() {}

  /** Registers {@code querier}'s meters in {@code meters}. */
  public static void bind(MeterRegistry meters, Querier querier) {
    Gauge.builder("fjord.querier.ingesters", querier, q -> q.registry().live().size())
        .description("Ingesters the querier currently considers live (announced on the membership topic and not"
            + " expired).")
        .register(meters);
    FunctionCounter.builder("fjord.querier.store.chunks.missing", querier, Querier::missingChunks)
        .description("Chunks listed in the chunk index but missing in the object store, skipped by queries.")
        .register(meters);
  }
}
