package io.fjord.common.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Loki's {@code loki_request_duration_seconds} histogram: one observation per HTTP request, labelled
 * with the route (the matched path pattern in Loki's style, {@code /loki/api/v1/push} →
 * {@code loki_api_v1_push}; {@code other} when no route matched), the method and the status code.
 * Each (pattern, method, status) keeps its timer, so a request costs a map lookup rather than a
 * meter registration (the push path calls this for every push). Thread-safe.
 */
public final class RequestDurations {
  static final String NAME = "loki.request.duration";
  /** Upper bounds of the histogram's buckets (Loki's are Prometheus' defaults, 5 ms to 10 s). */
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

  private record Key(String pathPattern, String method, int status) {}

  public RequestDurations(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param pathPattern the matched route's path pattern, or {@code null} when none matched
   */
  public void record(String pathPattern, String method, int status, double millis) {
    timers.computeIfAbsent(new Key(pathPattern, method, status), k -> Timer.builder(NAME)
            .description("Time (in seconds) spent serving HTTP requests.")
            .tag("route", route(k.pathPattern()))
            .tag("method", k.method())
            .tag("status_code", Integer.toString(k.status()))
            .serviceLevelObjectives(BUCKETS)
            .register(registry))
        .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
  }

  /** The route label of a path pattern: separators and punctuation become {@code _}, trimmed. */
  static String route(String pathPattern) {
    if (pathPattern == null || pathPattern.isEmpty() || pathPattern.equals("/")) {
      return pathPattern == null ? "other" : "root";
    }
    StringBuilder sb = new StringBuilder(pathPattern.length());
    for (int i = 0; i < pathPattern.length(); i++) {
      char c = pathPattern.charAt(i);
      boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (keep) {
        sb.append(c);
      } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
        sb.append('_');
      }
    }
    if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') {
      sb.setLength(sb.length() - 1);
    }
    return sb.length() == 0 ? "root" : sb.toString();
  }
}
