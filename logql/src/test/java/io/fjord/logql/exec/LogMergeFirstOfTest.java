package io.fjord.logql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.ingester.IngesterProtocol.Entry;
import io.fjord.schemas.ingester.IngesterProtocol.StreamResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Combining answers already cut to the limit (one per partition) keeps the first entries overall. */
class LogMergeFirstOfTest {
  private static final Map<String, String> A = Map.of("app", "a");
  private static final Map<String, String> B = Map.of("app", "b");
  private static final List<List<StreamResult>> ANSWERS = List.of(
      List.of(new StreamResult("t", A, List.of(new Entry(1, "a1"), new Entry(4, "a4"), new Entry(6, "a6")))),
      List.of(new StreamResult("t", B, List.of(new Entry(2, "b2"), new Entry(4, "b4"), new Entry(5, "b5")))));

  @Test
  void forwardKeepsTheOldestAndEqualTimesGoByLabels() {
    assertThat(LogMerge.firstOf(ANSWERS, 4, true)).containsExactly(
        new StreamResult("t", A, List.of(new Entry(1, "a1"), new Entry(4, "a4"))),
        new StreamResult("t", B, List.of(new Entry(2, "b2"), new Entry(4, "b4"))));
  }

  @Test
  void backwardKeepsTheNewest() {
    List<List<StreamResult>> backward = List.of(
        List.of(new StreamResult("t", A, List.of(new Entry(6, "a6"), new Entry(4, "a4"), new Entry(1, "a1")))),
        List.of(new StreamResult("t", B, List.of(new Entry(5, "b5"), new Entry(4, "b4"), new Entry(2, "b2")))));
    assertThat(LogMerge.firstOf(backward, 3, false)).containsExactly(
        new StreamResult("t", A, List.of(new Entry(6, "a6"), new Entry(4, "a4"))),
        new StreamResult("t", B, List.of(new Entry(5, "b5"))));
  }

  @Test
  void aLimitAboveEverythingKeepsAll() {
    assertThat(LogMerge.firstOf(ANSWERS, 100, true)).containsExactly(ANSWERS.get(0).get(0), ANSWERS.get(1).get(0));
  }
}
