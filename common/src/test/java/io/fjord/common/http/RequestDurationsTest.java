package io.fjord.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestDurationsTest {
  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
      "/loki/api/v1/push,                    loki_api_v1_push",
      "/api/prom/push,                       api_prom_push",
      "/loki/api/v1/label/{name}/values,     loki_api_v1_label_name_values",
      "/loki/api/v1/label/<name>/values,     loki_api_v1_label_name_values",
      "/ready,                               ready",
      "/,                                    root",
      "NULL,                                 other",
  })
  void routeLabelFollowsLokisStyle(String pattern, String expected) {
    assertThat(RequestDurations.route(pattern)).isEqualTo(expected);
  }

  @Test
  void recordsOneObservationPerRequestUnderItsLabels() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RequestDurations durations = new RequestDurations(registry);

    durations.record("/loki/api/v1/push", "POST", 204, 12.5);
    durations.record("/loki/api/v1/push", "POST", 204, 7.5);
    durations.record("/loki/api/v1/push", "POST", 400, 1);

    Timer ok = registry.get(RequestDurations.NAME)
        .tags("route", "loki_api_v1_push", "method", "POST", "status_code", "204").timer();
    assertThat(ok.count()).isEqualTo(2);
    assertThat(ok.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
    assertThat(registry.get(RequestDurations.NAME).tag("status_code", "400").timer().count()).isEqualTo(1);
  }
}
