package io.fjord.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkSettingsTest {
  // target 1000 bytes, idle 30 s, max age 120 s
  private final ChunkSettings settings = new ChunkSettings(100, 1000, Duration.ofSeconds(30), Duration.ofSeconds(120));

  @ParameterizedTest(name = "{0} bytes, first {1}, last {2}, now {3} -> {4}")
  @CsvSource(nullValues = "none", value = {
      "0,    0,      0,      0,      none",
      "999,  0,      0,      29999,  none",
      "1000, 0,      0,      0,      FULL",
      "5000, 0,      0,      500000, FULL",
      "10,   0,      0,      30000,  IDLE",
      "10,   0,      100000, 119999, none",
      "10,   0,      100000, 120000, MAX_AGE",
      "10,   50000,  60000,  89999,  none",
      "10,   50000,  60000,  90000,  IDLE"})
  void sealsFullIdleAndOldChunks(long bytes, long first, long last, long now, SealReason expected) {
    assertThat(settings.sealReason(bytes, first, last, now)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"99, false", "100, true", "101, true"})
  void cutsTheHeadAtTheBlockSize(long headBytes, boolean full) {
    assertThat(settings.headFull(headBytes)).isEqualTo(full);
  }
}
