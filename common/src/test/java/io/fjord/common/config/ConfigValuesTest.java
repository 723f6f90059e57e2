package io.fjord.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValuesTest {
  @ParameterizedTest
  @CsvSource({
      "10m, 600000", "1h30m, 5400000", "500ms, 500", "1w, 604800000", "2d, 172800000", "0, 0", "1.5h, 5400000",
      "30d1h, 2595600000", "-5m, -300000",
  })
  void parsesLokiDurations(String text, long millis) {
    assertThat(LokiDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "m", "10 m", "1x", "h1"})
  void rejectsWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> LokiDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"600000, 10m", "5400000, 1h30m", "604800000, 168h", "250, 250ms", "0, 0s"})
  void printsTheShortestExactForm(long millis, String text) {
    assertThat(LokiDuration.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"1024, 1024", "256KB, 262144", "1.5MB, 1572864", "4MiB, 4194304", "1gb, 1073741824", "100B, 100"})
  void parsesBinaryByteSizes(String text, long bytes) {
    assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "KB", "12XB", "-1"})
  void rejectsWhatIsNotASize(String text) {
    assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"262144, 256KB", "1572864, 1536KB", "100, 100B", "0, 0B"})
  void printsSizesExactly(long bytes, String text) {
    assertThat(ByteSize.ofBytes(bytes).toString()).isEqualTo(text);
  }
}
