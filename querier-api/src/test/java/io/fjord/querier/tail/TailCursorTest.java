package io.fjord.querier.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.querier.engine.ResultStream;
import io.fjord.querier.source.Entry;
import io.fjord.schemas.labels.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailCursorTest {
  private static final Labels A = Labels.of("app", "a");
  private static final Labels B = Labels.of("app", "b");

  private static ResultStream s(Labels l, Entry... entries) {
    return new ResultStream(l, List.of(entries));
  }

  private static Entry e(long ts, String line) {
    return new Entry(ts, line);
  }

  @Test
  void historyIsSentOldestFirstAndNotAgainWhenAPollSeesIt() {
    TailCursor c = new TailCursor(0, 10);

    assertThat(c.acceptHistory(List.of(s(A, e(20, "y"), e(10, "x"))), false))
        .containsExactly(s(A, e(10, "x"), e(20, "y")));
    assertThat(c.accept(List.of(s(A, e(10, "x"), e(20, "y"), e(30, "z"))), false))
        .containsExactly(s(A, e(30, "z")));
  }

  @Test
  void anotherLineAtAnAlreadySentTimestampIsStillSent() {
    TailCursor c = new TailCursor(0, 10);
    c.accept(List.of(s(A, e(20, "first"))), false);

    assertThat(c.accept(List.of(s(A, e(20, "first"), e(20, "second"))), false))
        .containsExactly(s(A, e(20, "second")));
  }

  @Test
  void aLateEntryWithinTheWindowIsSentAndTheStartFollowsTheNewestEntry() {
    TailCursor c = new TailCursor(0, 10);
    c.accept(List.of(s(A, e(100, "new"))), false);
    assertThat(c.from()).isEqualTo(90);

    assertThat(c.accept(List.of(s(A, e(100, "new")), s(B, e(95, "late")), s(B, e(80, "too late"))), false))
        .containsExactly(s(B, e(95, "late")));
  }

  @Test
  void aFullPollMovesTheStartToItsNewestEntrySoALargeBurstCannotStallTheTail() {
    TailCursor c = new TailCursor(0, 1_000);
    c.accept(List.of(s(A, e(10, "a"), e(11, "b"))), true);
    assertThat(c.from()).isEqualTo(11);

    assertThat(c.accept(List.of(s(A, e(11, "b"), e(12, "c"))), false)).containsExactly(s(A, e(12, "c")));
  }

  @Test
  void aFullHistoryHidesWhatItsLimitCutOff() {
    TailCursor c = new TailCursor(0, 1_000);
    c.acceptHistory(List.of(s(A, e(50, "kept"))), true);

    assertThat(c.accept(List.of(s(B, e(40, "cut by the limit")), s(A, e(60, "next"))), false))
        .containsExactly(s(A, e(60, "next")));
  }

  @Test
  void nothingBeforeTheStartIsSent() {
    TailCursor c = new TailCursor(100, 1_000);

    assertThat(c.accept(List.of(s(A, e(99, "old"), e(100, "at start"))), false))
        .containsExactly(s(A, e(100, "at start")));
  }
}
