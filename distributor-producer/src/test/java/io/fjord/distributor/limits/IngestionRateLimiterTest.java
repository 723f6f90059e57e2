package io.fjord.distributor.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.config.LimitsConfig;
import io.fjord.distributor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IngestionRateLimiterTest {
  private static final long MB = 1 << 20;
  private final MutableClock clock = new MutableClock(Instant.parse("2024-06-01T12:00:00Z"));

  /** 1000 bytes/s, burst 3000 bytes. */
  private final IngestionRateLimiter limiter = new IngestionRateLimiter(1000, 3000, clock);

  @Test
  void aNewTenantMayUseTheWholeBurstAtOnce() {
    assertThat(limiter.tryAcquire("a", 3000)).isTrue();
    assertThat(limiter.tryAcquire("a", 1)).isFalse();
  }

  @Test
  void aPushLargerThanTheBurstIsNeverAllowed() {
    assertThat(limiter.tryAcquire("a", 3001)).isFalse();
    clock.advance(Duration.ofHours(1));
    assertThat(limiter.tryAcquire("a", 3001)).isFalse();
  }

  @Test
  void tokensRefillAtTheRateUpToTheBurst() {
    assertThat(limiter.tryAcquire("a", 3000)).isTrue();
    clock.advance(Duration.ofMillis(500)); // +500 bytes
    assertThat(limiter.tryAcquire("a", 501)).isFalse();
    assertThat(limiter.tryAcquire("a", 500)).isTrue();
    clock.advance(Duration.ofSeconds(100)); // refills to 3000, not 100000
    assertThat(limiter.tryAcquire("a", 3000)).isTrue();
    assertThat(limiter.tryAcquire("a", 1)).isFalse();
  }

  @Test
  void aRefusedPushTakesNothing() {
    assertThat(limiter.tryAcquire("a", 2000)).isTrue();
    assertThat(limiter.tryAcquire("a", 1500)).isFalse();
    assertThat(limiter.tryAcquire("a", 1000)).isTrue();
  }

  @Test
  void tenantsHaveSeparateBuckets() {
    assertThat(limiter.tryAcquire("a", 3000)).isTrue();
    assertThat(limiter.tryAcquire("b", 3000)).isTrue();
    assertThat(limiter.tryAcquire("a", 1)).isFalse();
  }

  @Test
  void emptyPushesAreAlwaysAllowed() {
    assertThat(limiter.tryAcquire("a", 3000)).isTrue();
    assertThat(limiter.tryAcquire("a", 0)).isTrue();
  }

  @Test
  void ratesComeFromLimitsConfigInBinaryMegabytes() {
    IngestionRateLimiter defaults = IngestionRateLimiter.of(LimitsConfig.defaults(), clock); // 4 MB/s, burst 6 MB
    assertThat(defaults.bytesPerSecond()).isEqualTo(4 * MB);
    assertThat(defaults.tryAcquire("a", 6 * MB)).isTrue();
    assertThat(defaults.tryAcquire("a", 1)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(defaults.tryAcquire("a", 4 * MB)).isTrue();
    assertThat(defaults.tryAcquire("a", 1)).isFalse();
  }

  @Test
  void idleTenantsAreForgottenOnceTheirBucketIsFullAgain() {
    limiter.tryAcquire("idle", 3000);
    limiter.tryAcquire("busy", 10);
    assertThat(limiter.trackedTenants()).isEqualTo(2);

    clock.advance(Duration.ofMinutes(2)); // both refilled; the sweep runs on the next call
    limiter.tryAcquire("busy", 3000);

    assertThat(limiter.trackedTenants()).isEqualTo(1);
    assertThat(limiter.tryAcquire("idle", 3000)).isTrue(); // a new bucket is a full one
    assertThat(limiter.tryAcquire("busy", 1)).isFalse();
  }
}
