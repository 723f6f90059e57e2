package io.fjord.querier;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.schemas.ingester.IngesterMember;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuerierMetersTest {
  @Test
  void ingestersGaugeCountsTheLiveIngestersOnly() {
    MutableClock clock = new MutableClock(Instant.parse("2024-06-01T12:00:00Z"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // never started: discovery does not run, announcements are fed to the registry by hand
    try (Querier querier = new Querier(QuerierConfig.defaults(), LimitsConfig.defaults(),
        new TenantResolver(false, false), "127.0.0.1:1", "members", clock)) {
      QuerierMeters.bind(meters, querier);
      assertThat(meters.get("fjord.querier.ingesters").gauge().value()).isZero();

      long now = clock.millis();
      long expired = now - QuerierConfig.defaults().ingesterExpiry().toMillis() - 1;
      querier.registry().announce("a", new IngesterMember(IngesterMember.VERSION, "a", "http://a", List.of(0), true, now));
      querier.registry().announce("b", new IngesterMember(IngesterMember.VERSION, "b", "http://b", List.of(1), true, now));
      querier.registry().announce("c", new IngesterMember(IngesterMember.VERSION, "c", "http://c", List.of(2), true,
          expired));

      assertThat(meters.get("fjord.querier.ingesters").gauge().value()).isEqualTo(2);
    }
  }
}
