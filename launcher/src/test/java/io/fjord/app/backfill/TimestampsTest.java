package io.fjord.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  // 2024-05-01T10:00:00Z is Unix 1714557600 (date -u -d '2024-05-01T10:00:00Z' +%s)
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2024-05-01T10:00:00Z                | 1714557600000000000",
      "2024-05-01T12:00:00+02:00           | 1714557600000000000",
      "2024-05-01T10:00:00.123Z            | 1714557600123000000",
      "2024-05-01T10:00:00.123456789Z      | 1714557600123456789",
      "2024-05-01 10:00:00.5Z              | 1714557600500000000",
      "1714557600                          | 1714557600000000000",
      "1714557600.25                       | 1714557600250000000",
      "1714557600123                       | 1714557600123000000",
      "1714557600123456                    | 1714557600123456000",
      "1714557600123456789                 | 1714557600123456789",
      "0                                   | 0",
  })
  void readsRfc3339AndUnixTimesInEachUnit(String text, long nanos) {
    assertThat(Timestamps.parse(text)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "", "2024-05-01", "2024-05-01T10:00:00", "1.2.3", "-5", "99999999999999999999999"})
  void refusesWhatIsNoTime(String text) {
    assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"1714557600.5, 1714557600500000000", "1714557600123.5, 1714557600123500000"})
  void aJsonNumberIsAUnixTimeToo(String number, long nanos) {
    assertThat(Timestamps.unix(new BigDecimal(number))).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1e30"})
  void refusesNegativeAndHugeNumbers(String number) {
    assertThatThrownBy(() -> Timestamps.unix(new BigDecimal(number))).isInstanceOf(IllegalArgumentException.class);
  }
}
