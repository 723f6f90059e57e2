package io.fjord.common.metrics;

import io.fjord.common.http.RouteModule;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The process's one metrics registry: every role of a process registers its meters here (the
 * launcher hands {@link #registry()} to each role's main class), and {@link #routes()} serves them
 * all on {@code GET /metrics} in Prometheus' text format. JVM memory, thread, CPU and uptime meters
 * are bound at construction. Thread-safe; {@link #close()} once, after the HTTP server stopped.
 */
public final class FjordMetrics implements AutoCloseable {
  /** Prometheus' text exposition format, version 0.0.4 (what every Prometheus scrapes). */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public FjordMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Where roles register their meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** {@code GET /metrics}. */
  public RouteModule routes() {
    return (RoutesConfig routes) -> routes.get("/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(scrape()));
  }

  @Override
  public void close() {
    registry.close();
  }
}
