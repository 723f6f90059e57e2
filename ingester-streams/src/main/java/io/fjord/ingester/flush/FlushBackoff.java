package io.fjord.ingester.flush;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The {@code ingester.flush_op_backoff} section: how long a failed flush waits before its next
 * attempt, doubling from {@code min_period} up to {@code max_period} (Loki's names and defaults,
 * 10s and 1m). Unlike Loki there is no {@code max_retries}: Fjord never drops a chunk, it retries
 * until the store answers. Immutable; pure.
 */
public record FlushBackoff(
    @JsonProperty("min_period") Duration minPeriod,
    @JsonProperty("max_period") Duration maxPeriod) {

  public FlushBackoff {
    minPeriod = minPeriod != null ? minPeriod : Duration.ofSeconds(10);
    maxPeriod = maxPeriod != null ? maxPeriod : Duration.ofMinutes(1);
    if (minPeriod.isNegative() || minPeriod.isZero()) {
      throw new IllegalArgumentException("ingester.flush_op_backoff.min_period must be positive");
    }
    if (maxPeriod.compareTo(minPeriod) < 0) {
      throw new IllegalArgumentException("ingester.flush_op_backoff.max_period must not be less than min_period");
    }
  }

  public static FlushBackoff defaults() {
    return new FlushBackoff(null, null);
  }

  /** The wait after the {@code failures}-th failure in a row (1 = the first): min·2^(failures-1), capped at max. */
  public Duration delay(int failures) {
    long min = minPeriod.toMillis();
    long max = maxPeriod.toMillis();
    int shift = Math.max(0, Math.min(failures - 1, 30));
    long d = min << shift;
    return Duration.ofMillis(d <= 0 || d > max ? max : d);
  }
}
