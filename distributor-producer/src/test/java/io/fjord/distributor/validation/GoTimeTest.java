package io.fjord.distributor.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoTimeTest {
  @ParameterizedTest
  @CsvSource({
      "0,                   1970-01-01 00:00:00 +0000 UTC",
      "1500000000,          1970-01-01 00:00:01.5 +0000 UTC",
      "-1,                  1969-12-31 23:59:59.999999999 +0000 UTC",
      "1704164645123456789, 2024-01-02 03:04:05.123456789 +0000 UTC",
      "1704164645000001000, 2024-01-02 03:04:05.000001 +0000 UTC",
  })
  void printsLikeGosTimeString(long nanos, String expected) {
    assertThat(GoTime.format(nanos)).isEqualTo(expected);
  }
}
