package io.fjord.querier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.TenantStream;
import io.fjord.schemas.labels.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every expectation here is worked out by hand from the merge rules (range, de-duplication, global
 * limit in direction, ties by labels, streams sorted by labels), not taken from the code's output.
 */
class StreamMergerTest {
  private static final Labels A = Labels.of("app", "a");
  private static final Labels B = Labels.of("app", "b");

  /** Two ingesters answering backward; stream a is on both, with the entry 30/"z" on both. */
  private static final List<TenantStream> BACKWARD_ANSWERS = List.of(
      stream("t", A, e(30, "z"), e(20, "y"), e(10, "x")),
      stream("t", A, e(30, "z"), e(25, "w")),
      stream("t", B, e(30, "q"), e(5, "r")));

  private static final List<TenantStream> FORWARD_ANSWERS = List.of(
      stream("t", A, e(10, "x"), e(20, "y"), e(30, "z")),
      stream("t", A, e(25, "w"), e(30, "z")),
      stream("t", B, e(5, "r"), e(30, "q")));

  @Test
  void backwardKeepsTheNewestEntriesAcrossStreamsAndDropsTheDuplicate() {
    StreamMerger.Merged m = StreamMerger.merge(BACKWARD_ANSWERS, false, 0, 100, 4, Direction.BACKWARD);

    // newest first across streams: 30 a/z, 30 b/q (a sorts first on the tie), 25 a/w, 20 a/y
    assertThat(m.streams()).containsExactly(
        new ResultStream(A, List.of(e(30, "z"), e(25, "w"), e(20, "y"))),
        new ResultStream(B, List.of(e(30, "q"))));
    assertThat(m.duplicates()).isEqualTo(1);
    assertThat(m.linesIn()).isEqualTo(7);
    assertThat(m.entriesOut()).isEqualTo(4);
    assertThat(m.bytesIn()).isEqualTo(7);
  }

  @Test
  void forwardKeepsTheOldestEntriesAcrossStreams() {
    StreamMerger.Merged m = StreamMerger.merge(FORWARD_ANSWERS, false, 0, 100, 3, Direction.FORWARD);

    // oldest first: 5 b/r, 10 a/x, 20 a/y
    assertThat(m.streams()).containsExactly(
        new ResultStream(A, List.of(e(10, "x"), e(20, "y"))),
        new ResultStream(B, List.of(e(5, "r"))));
  }

  @Test
  void aLimitAboveTheDataReturnsEveryDistinctEntryOnce() {
    StreamMerger.Merged m = StreamMerger.merge(FORWARD_ANSWERS, false, 0, 100, 100, Direction.FORWARD);

    assertThat(m.streams()).containsExactly(
        new ResultStream(A, List.of(e(10, "x"), e(20, "y"), e(25, "w"), e(30, "z"))),
        new ResultStream(B, List.of(e(5, "r"), e(30, "q"))));
    assertThat(m.entriesOut()).isEqualTo(6);
  }

  @Test
  void theRangeIncludesStartAndExcludesEnd() {
    StreamMerger.Merged m = StreamMerger.merge(FORWARD_ANSWERS, false, 10, 30, 100, Direction.FORWARD);

    // 5 is before start, both 30s are at end: stream b keeps nothing and disappears
    assertThat(m.streams()).containsExactly(new ResultStream(A, List.of(e(10, "x"), e(20, "y"), e(25, "w"))));
  }

  @Test
  void sameTimestampDifferentLinesAreDistinctAndKeepTheSourceOrder() {
    List<TenantStream> in = List.of(
        stream("t", A, e(7, "first"), e(7, "second")),
        stream("t", A, e(7, "second"), e(7, "third")));

    StreamMerger.Merged m = StreamMerger.merge(in, false, 0, 100, 100, Direction.FORWARD);

    assertThat(m.streams()).containsExactly(
        new ResultStream(A, List.of(e(7, "first"), e(7, "second"), e(7, "third"))));
    assertThat(m.duplicates()).isEqualTo(1);
  }

  @Test
  void backwardKeepsTheSourcesOrderOfEqualTimestamps() {
    // an ingester answers equal timestamps backward in reverse push order; the merge must not resort them
    List<TenantStream> in = List.of(stream("t", A, e(9, "later"), e(7, "pushed second"), e(7, "pushed first")));

    StreamMerger.Merged m = StreamMerger.merge(in, false, 0, 100, 100, Direction.BACKWARD);

    assertThat(m.streams().get(0).entries()).extracting(Entry::line)
        .containsExactly("later", "pushed second", "pushed first");
  }

  @Test
  void onATieBetweenStreamsTheLimitGoesToTheStreamWhoseLabelsSortFirst() {
    List<TenantStream> in = List.of(stream("t", B, e(5, "b")), stream("t", A, e(5, "a")));

    assertThat(StreamMerger.merge(in, false, 0, 100, 1, Direction.FORWARD).streams())
        .containsExactly(new ResultStream(A, List.of(e(5, "a"))));
    assertThat(StreamMerger.merge(in, false, 0, 100, 1, Direction.BACKWARD).streams())
        .containsExactly(new ResultStream(A, List.of(e(5, "a"))));
  }

  @Test
  void severalTenantsGetTheTenantLabelAndAreNeverMerged() {
    List<TenantStream> in = List.of(stream("t2", A, e(1, "l")), stream("t1", A, e(1, "l")));

    StreamMerger.Merged m = StreamMerger.merge(in, true, 0, 100, 100, Direction.FORWARD);

    assertThat(m.streams()).containsExactly(
        new ResultStream(Labels.of("__tenant_id__", "t1", "app", "a"), List.of(e(1, "l"))),
        new ResultStream(Labels.of("__tenant_id__", "t2", "app", "a"), List.of(e(1, "l"))));
    assertThat(m.duplicates()).isZero();
  }

  @Test
  void streamsComeOutSortedByLabels() {
    Labels c = Labels.of("app", "c");
    Labels aWithEnv = Labels.of("app", "a", "env", "prod");
    List<TenantStream> in = List.of(stream("t", c, e(1, "1")), stream("t", aWithEnv, e(1, "2")),
        stream("t", A, e(1, "3")));

    assertThat(StreamMerger.merge(in, false, 0, 100, 100, Direction.FORWARD).streams())
        .extracting(ResultStream::labels)
        .containsExactly(A, aWithEnv, c);
  }

  @Test
  void noInputGivesNoStreams() {
    StreamMerger.Merged m = StreamMerger.merge(List.of(), false, 0, 100, 100, Direction.BACKWARD);

    assertThat(m.streams()).isEmpty();
    assertThat(m.entriesOut()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "abc          | 3",
      "é            | 2",
      "✓            | 3",
      "😀           | 4",
  })
  void bytesAreCountedAsUtf8(String text, long bytes) {
    assertThat(io.fjord.schemas.text.Utf8.length(text)).isEqualTo(bytes);
  }

  private static TenantStream stream(String tenant, Labels labels, Entry... entries) {
    return new TenantStream(tenant, labels, List.of(entries));
  }

  private static Entry e(long ts, String line) {
    return new Entry(ts, line);
  }
}
