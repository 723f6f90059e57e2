package io.fjord.ingester.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatchUpTest {

  @ParameterizedTest(name = "end {0}, committed {1}, earliest {2}, processed {3} -> {4}")
  @CsvSource({
      // end, committed, earliest, last processed, caught up
      "0,   -1,  0,   -1,  true",   // empty partition
      "10,  -1,  0,   -1,  false",  // nothing read yet
      "10,  -1,  0,   8,   false",
      "10,  -1,  0,   9,   true",   // offset 9 is the last record
      "10,  10,  0,   -1,  true",   // the group had already read everything
      "10,  4,   0,   8,   false",
      "10,  -1,  10,  -1,  true",   // retention removed every record
      "10,  -1,  3,   9,   true"})
  void comparesProcessedOffsetsWithTheTargetSeenAtAssignment(long end, long committed, long earliest,
      long processed, boolean expected) {
    boolean got = CatchUp.caughtUp(Set.of(1), Map.of(1, new CatchUp.Target(end, committed, earliest)),
        p -> processed);

    assertThat(got).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"true", "false"})
  void everyOwnedPartitionNeedsATarget(boolean second) {
    Map<Integer, CatchUp.Target> targets = second
        ? Map.of(1, new CatchUp.Target(0, -1, 0), 2, new CatchUp.Target(0, -1, 0))
        : Map.of(1, new CatchUp.Target(0, -1, 0));

    assertThat(CatchUp.caughtUp(Set.of(1, 2), targets, p -> -1)).isEqualTo(second);
  }
}
