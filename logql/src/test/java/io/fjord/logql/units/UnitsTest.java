package io.fjord.logql.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations (Go's time.ParseDuration, Prometheus units) and byte sizes (go-humanize), as LogQL reads them. */
class UnitsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", textBlock = """
      300ms => 300000000
      1.5h => 5400000000000
      2h45m => 9900000000000
      1h30m => 5400000000000
      10us => 10000
      0.10ms => 100000
      -1.5s => -1500000000
      0 => 0
      1d => 86400000000000
      1w => 604800000000000
      1h2m3s => 3723000000000
      """)
  void parsesDurations(String text, long nanos) {
    assertThat(GoDurations.parseNanos(text)).isEqualTo(nanos);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      5x => time: unknown unit "x" in duration "5x"
      n/a_0.391s => time: invalid duration "n/a_0.391s"
      5 => time: missing unit in duration "5"
      '' => time: invalid duration ""
      """)
  void durationErrorsReadLikeGo(String text, String message) {
    assertThatThrownBy(() -> GoDurations.parseNanos(text)).hasMessage(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", textBlock = """
      42MB => 42000000
      1.5KiB => 1536
      20B => 20
      10KB => 10000
      1kB => 1000
      147KB => 147000
      2MiB => 2097152
      """)
  void parsesByteSizes(String text, long bytes) {
    assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
  }
}
