package io.fjord.distributor;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.RouteModule;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.distributor.http.PushRoutes;
import io.fjord.distributor.kafka.KafkaStreamWriter;
import io.fjord.distributor.limits.IngestionRateLimiter;
import io.fjord.distributor.metrics.DistributorMeters;
import io.fjord.distributor.push.PushDecoder;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.ValidationLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;

/**
 * The distributor role, wired by hand: Loki's push API ({@link #routes()}) → decoding within the
 * body caps → validation and the per-tenant rate limit → one record per (tenant, stream) on the
 * logs topic, answered 204 only once Kafka acknowledged all of them. The launcher constructs it,
 * mounts {@link #routes()} on its HTTP server and closes it after the server has stopped. The logs
 * topic must exist (the launcher creates it). Thread-safe; {@link #close()} once.
 */
public final class Distributor implements AutoCloseable {
  private final KafkaStreamWriter writer;
  private final PushRoutes routes;

  /**
   * @param config the {@code distributor} section
   * @param limits the {@code limits_config} section
   * @param tenants turns {@code X-Scope-OrgID} into the tenant (401 when auth is on and it is missing)
   * @param bootstrapServers Kafka's {@code host:port} list
   * @param topic the logs topic
   * @param clock the time validation and the rate limiter see
   */
  public Distributor(DistributorConfig config, LimitsConfig limits, TenantResolver tenants,
      String bootstrapServers, String topic, Clock clock) {
    this(config, limits, tenants, bootstrapServers, topic, clock, new SimpleMeterRegistry());
  }

  /** As above, registering the distributor's meters ({@link DistributorMeters}) in {@code meters}. */
  public Distributor(DistributorConfig config, LimitsConfig limits, TenantResolver tenants,
      String bootstrapServers, String topic, Clock clock, MeterRegistry meters) {
    DistributorMeters metrics = new DistributorMeters(meters);
    long maxRecordBytes = config.maxRecordSize().bytes();
    this.writer = new KafkaStreamWriter(bootstrapServers, topic, config.produceTimeout(), maxRecordBytes,
        config.kafkaCompression());
    PushService service = new PushService(
        new PushValidator(ValidationLimits.from(limits, maxRecordBytes), clock),
        IngestionRateLimiter.of(limits, clock),
        metrics.timed(writer),
        maxRecordBytes,
        metrics);
    this.routes = new PushRoutes(tenants, new PushDecoder(config.maxDecompressedBodySize().bytes()), service,
        config.maxRequestBodySize().bytes());
  }

  /** {@code POST /loki/api/v1/push} and {@code POST /api/prom/push}. */
  public RouteModule routes() {
    return routes;
  }

  /** Flushes what the producer still holds (waiting at most the produce timeout) and closes it. */
  @Override
  public void close() {
    writer.close();
  }
}
