package io.fjord.querier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected texts are what Go's time.Duration.String() prints for these values. */
class GoDurationTest {
  @ParameterizedTest(name = "{0}ns -> {1}")
  @CsvSource(delimiter = '|', value = {
      "0                    | 0s",
      "1                    | 1ns",
      "1500                 | 1.5µs",
      "250000000            | 250ms",
      "1000000000           | 1s",
      "1500000000           | 1.5s",
      "90000000000          | 1m30s",
      "3600000000000        | 1h0m0s",
      "2595600000000000     | 721h0m0s",
      "2599200000000000     | 722h0m0s",
      "3661000000001        | 1h1m1.000000001s",
      "-90000000000         | -1m30s",
  })
  void printsLikeGo(long nanos, String expected) {
    assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(expected);
  }
}
