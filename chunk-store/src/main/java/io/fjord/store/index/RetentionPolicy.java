package io.fjord.store.index;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How long each tenant's chunks are kept, by the time of their last entry: Loki's
 * {@code retention_period}, a global default with per-tenant overrides. {@link Duration#ZERO}
 * means keep forever; any other period is at least {@link CompactorConfig#MIN_RETENTION_PERIOD}
 * (Loki's floor). Implementations must be thread-safe and cheap (called once per tenant and
 * index period on every compactor run).
 */
@FunctionalInterface
public interface RetentionPolicy {

  /** Keeps everything of every tenant. */
  RetentionPolicy KEEP_FOREVER = tenant -> Duration.ZERO;

  /** The retention period of {@code tenant}: zero keeps its chunks forever. */
  Duration retentionPeriod(String tenant);

  /** The same {@code period} for every tenant. */
  static RetentionPolicy uniform(Duration period) {
    check(period, "retention_period");
    return tenant -> period;
  }

  /**
   * {@code defaultPeriod} for every tenant but those in {@code perTenant}, which get their own
   * (zero there keeps that tenant's chunks forever whatever the default).
   *
   * @throws IllegalArgumentException naming the tenant when a period is negative or below 24h
   */
  static RetentionPolicy perTenant(Duration defaultPeriod, Map<String, Duration> perTenant) {
    check(defaultPeriod, "retention_period");
    Map<String, Duration> copy = Map.copyOf(perTenant);
    copy.forEach((tenant, period) -> check(period, "retention_period of tenant '" + tenant + "'"));
    return tenant -> copy.getOrDefault(tenant, defaultPeriod);
  }

  private static void check(Duration period, String what) {
    Objects.requireNonNull(period, what);
    if (period.isNegative() || (!period.isZero() && period.compareTo(CompactorConfig.MIN_RETENTION_PERIOD) < 0)) {
      throw new IllegalArgumentException(what + " must be 0s (keep forever) or at least 24h, got " + period);
    }
  }
}
