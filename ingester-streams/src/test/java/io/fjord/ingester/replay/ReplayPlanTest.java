package io.fjord.ingester.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplayPlanTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # case                                          | replayStart | committed | logStart | logEnd | start | end
      nothing flushed, committed mid-log              | 0           | 70        | 0        | 100    | 0     | 70
      nothing flushed, all committed                  | 0           | 100       | 0        | 100    | 0     | 100
      no committed offset: read everything live       | 0           | -1        | 0        | 100    | 0     | 0
      retention removed the oldest records            | 0           | 70        | 40       | 100    | 40    | 70
      retention removed everything committed          | 0           | 30        | 40       | 100    | 40    | 40
      flushed up to 50: replay from there             | 50          | 70        | 0        | 100    | 50    | 70
      flushed past the commit: nothing to replay      | 80          | 70        | 0        | 100    | 80    | 80
      no committed offset, flushed up to 50           | 50          | -1        | 0        | 100    | 50    | 50
      committed past a truncated log end              | 0           | 120       | 0        | 100    | 0     | 100
      empty log                                       | 0           | -1        | 0        | 0      | 0     | 0
      """)
  void plansFromTheOffsetsKafkaReports(String name, long replayStart, long committed, long logStart, long logEnd,
      long start, long end) {
    ReplayPlan plan = ReplayPlan.of(3, replayStart, committed, logStart, logEnd);
    assertThat(List.of((long) plan.partition(), plan.start(), plan.end())).containsExactly(3L, start, end);
    assertThat(plan.checkpoint().replayFrom()).isEqualTo(replayStart);
  }

  @Test
  void saysWhetherThereIsAnythingToRead() {
    assertThat(new ReplayPlan(0, 5, 5).isEmpty()).isTrue();
    assertThat(new ReplayPlan(0, 5, 9).isEmpty()).isFalse();
    assertThat(new ReplayPlan(0, 5, 9).length()).isEqualTo(4);
    assertThat(ReplayPlan.none(2)).isEqualTo(new ReplayPlan(2, 0, 0));
  }

  @Test
  void refusesABackwardRange() {
    assertThatThrownBy(() -> new ReplayPlan(1, 10, 9)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[10, 9)");
  }

  @Test
  void reportsThroughput() {
    ReplayReport r = new ReplayReport(new ReplayPlan(1, 0, 1000), 1000, 50_000_000, 20_000, 2, 500_000_000);

    assertThat(r.megabytesPerSecond()).isEqualTo(100.0);
    assertThat(r.recordsPerSecond()).isEqualTo(2000.0);
    assertThat(r.toString()).contains("partition 1 [0, 1000)", "1000 records", "50.0 MB", "2 skipped",
        "100.0 MB/s");
  }
}
