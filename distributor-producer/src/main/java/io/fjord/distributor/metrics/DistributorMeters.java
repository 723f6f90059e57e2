package io.fjord.distributor.metrics;

import io.fjord.distributor.PushObserver;
import io.fjord.distributor.StreamSink;
import io.fjord.distributor.validation.RejectionReason;
import io.fjord.schemas.record.StreamBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distributor's meters, under Loki's names where the concept is Loki's:
 * {@code loki_distributor_bytes_received_total{tenant}}, {@code loki_distributor_lines_received_total{tenant}},
 * {@code loki_discarded_samples_total{reason,tenant}}, {@code loki_discarded_bytes_total{reason,tenant}};
 * and Fjord's {@code fjord_kafka_produce_latency_seconds} (one push's records, from the first send to
 * the last acknowledgement, failures included). Thread-safe.
 */
public final class DistributorMeters implements PushObserver {
  private final MeterRegistry registry;
  private final Timer produceLatency;
  private final ConcurrentHashMap<String, Counter[]> received = new ConcurrentHashMap<>();

  public DistributorMeters(MeterRegistry registry) {
    this.registry = registry;
    this.produceLatency = Timer.builder("fjord.kafka.produce.latency")
        .description("Time from sending a push's records to Kafka until all were acknowledged (or failed).")
        .publishPercentileHistogram()
        .register(registry);
  }

  @Override
  public void received(String tenant, int lines, long bytes) {
    Counter[] c = received.computeIfAbsent(tenant, t -> new Counter[] {
        Counter.builder("loki.distributor.bytes.received").tag("tenant", t)
            .description("The total number of uncompressed bytes received per tenant (lines and structured metadata"
                + " of the entries that passed validation).")
            .register(registry),
        Counter.builder("loki.distributor.lines.received").tag("tenant", t)
            .description("The total number of lines received per tenant (entries that passed validation).")
            .register(registry)});
    c[0].increment(bytes);
    c[1].increment(lines);
  }

  @Override
  public void discarded(String tenant, RejectionReason reason, int entries, long bytes) {
    Counter.builder("loki.discarded.samples").tag("reason", reason.lokiName()).tag("tenant", tenant)
        .description("The total number of samples that were discarded.")
        .register(registry).increment(entries);
    if (bytes > 0) { // validation does not size what it rejects (yet): no series rather than a false 0
      Counter.builder("loki.discarded.bytes").tag("reason", reason.lokiName()).tag("tenant", tenant)
          .description("The total number of bytes that were discarded (counted for rate_limited only so far).")
          .register(registry).increment(bytes);
    }
  }

  /** {@code sink}, its writes timed as {@code fjord_kafka_produce_latency_seconds}. */
  public StreamSink timed(StreamSink sink) {
    return (List<StreamBatch> batches) -> {
      long t0 = System.nanoTime();
      try {
        sink.write(batches);
      } finally {
        produceLatency.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    };
  }
}
