package io.fjord.distributor.limits;

import io.fjord.common.config.LimitsConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loki's per-tenant ingestion rate limit: a token bucket per tenant of {@code ingestion_rate_mb}
 * MB/s with a burst of {@code ingestion_burst_size_mb} MB (MB = 2^20 bytes, as Loki counts), charged
 * with the line and structured-metadata bytes of each push's accepted entries. A push that does not
 * fit is refused whole. The limit is local to this distributor (Loki's "local" strategy).
 * Buckets that have refilled completely are dropped from time to time, since a full bucket is the
 * same as a new one, so idle tenants cost no memory. Time comes from the injected clock.
 * Thread-safe: each tenant's bucket is updated atomically.
 */
public final class IngestionRateLimiter {
  private static final long SWEEP_EVERY_NANOS = 60_000_000_000L;

  private final double bytesPerSecond;
  private final double burstBytes;
  private final Clock clock;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private volatile long nextSweepNanos;

  public IngestionRateLimiter(double bytesPerSecond, double burstBytes, Clock clock) {
    if (!(bytesPerSecond >= 0) || !(burstBytes >= 0)) {
      throw new IllegalArgumentException("ingestion rate and burst must not be negative");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.burstBytes = burstBytes;
    this.clock = clock;
    this.nextSweepNanos = nanos(clock.instant()) + SWEEP_EVERY_NANOS;
  }

  public static IngestionRateLimiter of(LimitsConfig limits, Clock clock) {
    double mb = 1 << 20;
    return new IngestionRateLimiter(limits.ingestionRateMb() * mb, limits.ingestionBurstSizeMb() * mb, clock);
  }

  /** Charges {@code bytes} to {@code tenant}; false (and nothing charged) when over the limit. */
  public boolean tryAcquire(String tenant, long bytes) {
    if (bytes <= 0) {
      return true;
    }
    long now = nanos(clock.instant());
    boolean[] granted = new boolean[1];
    buckets.compute(tenant, (t, bucket) -> {
      TokenBucket b = bucket != null ? bucket : new TokenBucket(bytesPerSecond, burstBytes, now);
      granted[0] = b.tryTake(bytes, now);
      return b;
    });
    if (now >= nextSweepNanos) {
      sweep(now);
    }
    return granted[0];
  }

  /** The sustained rate in bytes per second, for messages. */
  public long bytesPerSecond() {
    return (long) bytesPerSecond;
  }

  /** How many tenants currently have a bucket (one that is not full). */
  int trackedTenants() {
    return buckets.size();
  }

  private void sweep(long now) {
    nextSweepNanos = now + SWEEP_EVERY_NANOS;
    for (String tenant : buckets.keySet()) {
      buckets.computeIfPresent(tenant, (t, b) -> b.isFull(now) ? null : b);
    }
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
