package io.fjord.ingester.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffAndBackpressureTest {
  @ParameterizedTest
  @CsvSource({"1, 10", "2, 20", "3, 40", "4, 60", "10, 60", "1000, 60"})
  void theBackoffDoublesFromMinToMax(int failures, long seconds) {
    FlushBackoff b = FlushBackoff.defaults(); // Loki's 10s .. 1m

    assertThat(b.delay(failures)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void refusesABackoffThatCannotWork() {
    assertThatThrownBy(() -> new FlushBackoff(Duration.ZERO, null)).hasMessageContaining("min_period");
    assertThatThrownBy(() -> new FlushBackoff(Duration.ofMinutes(2), Duration.ofMinutes(1)))
        .hasMessageContaining("max_period");
  }

  @Test
  void pausesAboveTheLimitAndResumesBelowThreeQuartersOfIt() {
    Backpressure b = new Backpressure(1000);

    assertThat(b.update(1000)).isNull(); // at the limit: not over it
    assertThat(b.update(1001)).isEqualTo(Backpressure.Change.PAUSE);
    assertThat(b.paused()).isTrue();
    assertThat(b.update(5000)).isNull();
    assertThat(b.update(800)).isNull(); // below the limit, above 750
    assertThat(b.update(750)).isNull();
    assertThat(b.update(749)).isEqualTo(Backpressure.Change.RESUME);
    assertThat(b.paused()).isFalse();
    assertThat(b.update(900)).isNull();
  }
}
