package io.fjord.ingester.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamLimitTest {

  @ParameterizedTest(name = "limit {0} over {1} partitions -> {2} per partition")
  @CsvSource({
      "5000, 4, 1250",
      "5000, 3, 1667",
      "10, 4, 3",
      "12, 4, 3",
      "13, 4, 4",
      "5, 8, 1",
      "1, 1, 1",
      "7, 1, 7",
  })
  void dividesTheGlobalLimitOverThePartitionsRoundingUp(int limit, int partitions, int perPartition) {
    assertThat(StreamLimit.perPartition(limit, partitions)).isEqualTo(perPartition);
    assertThat(new StreamLimit(limit, () -> partitions).perPartition()).isEqualTo(perPartition);
  }

  @Test
  void zeroMeansUnlimited() {
    assertThat(new StreamLimit(0, () -> 4).perPartition()).isEqualTo(Integer.MAX_VALUE);
    assertThat(StreamLimit.unlimited().perPartition()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new StreamLimit(-1, () -> 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StreamLimit(10, () -> 0).perPartition()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void saysWhatLokiSays() {
    assertThat(StreamLimit.message("team-a")).isEqualTo("Maximum active stream limit exceeded, reduce the number"
        + " of active streams (reduce labels or reduce label values), or contact your Loki administrator to see if"
        + " the limit can be increased, user: 'team-a'");
    assertThat(DeadLetterReason.STREAM_LIMIT.reason()).isEqualTo("stream_limit");
  }
}
