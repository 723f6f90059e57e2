package io.fjord.distributor.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.config.LimitsConfig;
import io.fjord.distributor.PushService;
import io.fjord.distributor.limits.IngestionRateLimiter;
import io.fjord.distributor.push.LabelPair;
import io.fjord.distributor.push.PushException;
import io.fjord.distributor.push.PushedEntry;
import io.fjord.distributor.push.PushedStream;
import io.fjord.distributor.testing.MutableClock;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.ValidationLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributorMetersTest {
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private static final long TS = NOW.getEpochSecond() * 1_000_000_000L;
  private static final long MAX_RECORD = 1 << 20;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DistributorMeters meters = new DistributorMeters(registry);
  private final MutableClock clock = new MutableClock(NOW);
  private final List<Object> written = new ArrayList<>();

  private PushService service(double rateBytes, double burstBytes) {
    return new PushService(new PushValidator(ValidationLimits.from(LimitsConfig.defaults(), MAX_RECORD), clock),
        new IngestionRateLimiter(rateBytes, burstBytes, clock), meters.timed(written::addAll), MAX_RECORD, meters);
  }

  private static PushedStream stream(long ts, String... lines) {
    return PushedStream.of(List.of(new LabelPair("app", "a")),
        java.util.Arrays.stream(lines).map(l -> new PushedEntry(ts, l)).toList());
  }

  @Test
  void acceptedLinesAndBytesAreCountedPerTenantAndRejectedEntriesPerReason() {
    PushService service = service(1e9, 1e9);

    assertThatThrownBy(() -> service.push("t1", List.of(stream(TS, "abc", "de"), stream(0, "old1", "old2"))))
        .isInstanceOf(PushException.class);
    service.push("t2", List.of(stream(TS, "x")));

    assertThat(registry.get("loki.distributor.lines.received").tag("tenant", "t1").counter().count()).isEqualTo(2);
    assertThat(registry.get("loki.distributor.bytes.received").tag("tenant", "t1").counter().count()).isEqualTo(5);
    assertThat(registry.get("loki.distributor.lines.received").tag("tenant", "t2").counter().count()).isEqualTo(1);
    assertThat(registry.get("loki.discarded.samples").tags("tenant", "t1", "reason", "greater_than_max_sample_age")
        .counter().count()).isEqualTo(2);
    assertThat(registry.find("loki.discarded.bytes").counters()).as("not sized by validation: no false zero").isEmpty();
    assertThat(registry.get("fjord.kafka.produce.latency").timer().count()).isEqualTo(2);
  }

  @Test
  void aRateLimitedPushIsDiscardedWithItsLinesAndBytes() {
    PushService service = service(100, 10);

    assertThatThrownBy(() -> service.push("t", List.of(stream(TS, "12345", "67890", "x"))))
        .isInstanceOfSatisfying(PushException.class,
            e -> assertThat(e.kind()).isEqualTo(PushException.Kind.RATE_LIMITED));

    assertThat(registry.get("loki.discarded.samples").tags("tenant", "t", "reason", "rate_limited").counter().count())
        .isEqualTo(3);
    assertThat(registry.get("loki.discarded.bytes").tags("tenant", "t", "reason", "rate_limited").counter().count())
        .isEqualTo(11);
    assertThat(written).isEmpty();
    assertThat(registry.get("fjord.kafka.produce.latency").timer().count()).isZero();
  }
}
