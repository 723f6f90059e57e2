package io.fjord.querier.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sample values and times as Loki's JSON writes them (Go's FormatFloat 'f' -1; seconds to the millisecond). */
class SampleFormatTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1                    | 1",
      "6.5                  | 6.5",
      "-0.0                 | -0",
      "0                    | 0",
      "100                  | 100",
      "1e21                 | 1000000000000000000000",
      "1e-7                 | 0.0000001",
      "0.30000000000000004  | 0.30000000000000004",
      "862.0258999999999    | 862.0258999999999",
      "NaN                  | NaN",
      "Infinity             | +Inf",
      "-Infinity            | -Inf",
  })
  void valuesAreWrittenAsGoDoes(double value, String text) {
    assertThat(SampleFormat.value(value)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1795132800000000000 | 1795132800",
      "1795132800500000000 | 1795132800.5",
      "1795132800123999999 | 1795132800.123",
      "1795132800000000001 | 1795132800",
      "1795132800010000000 | 1795132800.01",
  })
  void timesAreSecondsToTheMillisecond(long nanos, String text) {
    assertThat(SampleFormat.seconds(nanos)).isEqualTo(text);
  }
}
