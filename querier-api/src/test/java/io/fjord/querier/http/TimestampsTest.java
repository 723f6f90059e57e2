package io.fjord.querier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** 2026-11-20T00:00:00Z is Unix second 1795132800. */
class TimestampsTest {
  private static final long DEFAULT = 42;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "1795132800000000000            | 1795132800000000000",
      "1795132800123456789            | 1795132800123456789",
      // at most 10 characters: Unix seconds, as Loki reads them
      "1795132800                     | 1795132800000000000",
      "0                              | 0",
      "1795132800.5                   | 1795132800500000000",
      "1795132800.25                  | 1795132800250000000",
      // the fraction is kept to the millisecond
      "1795132800.123456              | 1795132800123000000",
      "1795132800.                    | 1795132800000000000",
      "2026-11-20T00:00:00Z           | 1795132800000000000",
      "2026-11-20T00:00:00.5Z         | 1795132800500000000",
      "2026-11-20T00:00:00.123456789Z | 1795132800123456789",
      "2026-11-20T01:30:00+01:30      | 1795132800000000000",
      "2026-11-19T23:00:00-01:00      | 1795132800000000000",
  })
  void readsNanosecondsSecondsAndRfc3339(String value, long expectedNanos) {
    assertThat(Timestamps.parse("start", value, DEFAULT)).isEqualTo(expectedNanos);
  }

  @Test
  void anAbsentOrEmptyValueTakesTheDefault() {
    assertThat(Timestamps.parse("start", "", DEFAULT)).isEqualTo(DEFAULT);
    assertThat(Timestamps.parse("start", null, DEFAULT)).isEqualTo(DEFAULT);
    assertThat(Timestamps.parseDuration("step", null, DEFAULT)).isEqualTo(DEFAULT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "yesterday",
      "2026-11-20",
      "2026-11-20 00:00:00",
      "1795132800.5.5",
      "99999999999999999999",
      "1e9",
      "now-1h",
  })
  void anythingElseIsA400NamingTheParameterAndValue(String value) {
    assertThatThrownBy(() -> Timestamps.parse("end", value, DEFAULT))
        .isInstanceOf(ApiException.class)
        .hasMessage("invalid parameter \"end\": cannot parse \"" + value + "\" to a valid timestamp")
        .extracting(e -> ((ApiException) e).status()).isEqualTo(400);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "5m      | 300000000000",
      "1h30m   | 5400000000000",
      "250ms   | 250000000",
      "900.0   | 900000000000",
      "15      | 15000000000",
      "0.5     | 500000000",
      "1d      | 86400000000000",
  })
  void readsDurationsAsSecondsOrDurationStrings(String value, long expectedNanos) {
    assertThat(Timestamps.parseDuration("step", value, DEFAULT)).isEqualTo(expectedNanos);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"5x", "five minutes", "5 m", "m5", "1e400"})
  void aBadDurationIsA400(String value) {
    assertThatThrownBy(() -> Timestamps.parseDuration("step", value, DEFAULT))
        .isInstanceOf(ApiException.class)
        .hasMessage("invalid parameter \"step\": cannot parse \"" + value + "\" to a valid duration");
  }
}
