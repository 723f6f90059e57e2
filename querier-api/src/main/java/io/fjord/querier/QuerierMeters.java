package io.fjord.querier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The querier's meters: {@code fjord_querier_ingesters}, the ingesters discovery currently
 * considers live (read when scraped). Query latencies are in {@code loki_request_duration_seconds},
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
  }
}
