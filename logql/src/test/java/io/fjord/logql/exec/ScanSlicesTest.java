package io.fjord.logql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.exec.ScanSlices.Piece;
import io.fjord.logql.exec.ScanSlices.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Splitting a scan into shares of equal work that cover every stream's range exactly once. */
class ScanSlicesTest {
  private static final long START = 0;
  private static final long END = 1_000;

  /** {@code count} back-to-back pieces of weight 10 from {@code from}, 10 ns apart. */
  private static List<Piece> run(long from, int count) {
    List<Piece> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Piece(from + 10L * i, from + 10L * i + 9, 10));
    }
    return out;
  }

  @Test
  void equalStreamsGoWholeToEqualShares() {
    List<List<Slice>> parts =
        ScanSlices.split(List.of(run(0, 4), run(0, 4), run(0, 4), run(0, 4)), START, END, 2, true);
    assertThat(parts).containsExactly(
        List.of(new Slice(0, START, END), new Slice(1, START, END)),
        List.of(new Slice(2, START, END), new Slice(3, START, END)));
  }

  @Test
  void unequalStreamsAreBalancedByWeightAndABigOneIsCutInTime() {
    // 80 + 40 + 40: the first stream alone is half the work
    List<List<Slice>> parts = ScanSlices.split(List.of(run(0, 8), run(0, 4), run(0, 4)), START, END, 2, true);
    assertThat(parts).containsExactly(
        List.of(new Slice(0, START, END)),
        List.of(new Slice(1, START, END), new Slice(2, START, END)));
    List<List<Slice>> skewed = ScanSlices.split(List.of(run(0, 12), run(0, 2), run(0, 2)), START, END, 2, true);
    // 160 in all, 80 a share: the big stream (120) is cut at the start of its 9th piece (ts 80)
    assertThat(skewed).containsExactly(
        List.of(new Slice(0, START, 80)),
        List.of(new Slice(0, 80, END), new Slice(1, START, END), new Slice(2, START, END)));
  }

  @Test
  void oneStreamIsCutInTimeSoEveryCoreScansPartOfIt() {
    List<List<Slice>> parts = ScanSlices.split(List.of(run(100, 10)), START, END, 2, true);
    assertThat(parts).containsExactly(List.of(new Slice(0, START, 150)), List.of(new Slice(0, 150, END)));
  }

  @Test
  void withoutCuttingStreamsEachGoesWholeToTheShareWhereItsMiddleFalls() {
    // 120 + 20 + 20, 80 a share: the big stream's middle (60) is in the first share, the others' (130, 150) in the second
    assertThat(ScanSlices.split(List.of(run(0, 12), run(0, 2), run(0, 2)), START, END, 2, false)).containsExactly(
        List.of(new Slice(0, START, END)),
        List.of(new Slice(1, START, END), new Slice(2, START, END)));
    assertThat(ScanSlices.split(List.of(run(100, 10)), START, END, 2, false))
        .containsExactly(List.of(new Slice(0, START, END)));
  }

  @Test
  void aCutNeverFallsOutsideTheRangeOrBeforeTheSliceStart() {
    // pieces that all start before the range cannot be cut at: the stream stays whole
    List<Piece> early = List.of(new Piece(-50, 10, 10), new Piece(-40, 20, 10), new Piece(-30, 30, 10),
        new Piece(-20, 40, 10));
    assertThat(ScanSlices.split(List.of(early), START, END, 2, true)).containsExactly(List.of(new Slice(0, START, END)));
  }

  @Test
  void noWorkOrOneCoreKeepsEveryStreamWhole() {
    assertThat(ScanSlices.split(List.of(run(0, 3), run(0, 3)), START, END, 1, true))
        .containsExactly(List.of(new Slice(0, START, END), new Slice(1, START, END)));
    assertThat(ScanSlices.split(List.of(List.of(), List.of()), START, END, 2, true))
        .containsExactly(List.of(new Slice(0, START, END)), List.of(new Slice(1, START, END)));
    assertThat(ScanSlices.split(List.of(), START, END, 4, true)).isEmpty();
  }

  @Test
  void randomLayoutsCoverEachStreamsRangeExactlyOnce() {
    Random random = new Random(7);
    for (int round = 0; round < 500; round++) {
      int streamCount = 1 + random.nextInt(6);
      int cores = 1 + random.nextInt(4);
      List<List<Piece>> streams = new ArrayList<>();
      for (int s = 0; s < streamCount; s++) {
        List<Piece> pieces = new ArrayList<>();
        int count = random.nextInt(12);
        for (int i = 0; i < count; i++) {
          long from = random.nextInt(1_200) - 100; // some before the range, some overlapping
          long w = 1 + random.nextInt(50);
          pieces.add(new Piece(from, from + random.nextInt(100), w));
        }
        streams.add(pieces);
      }
      List<List<Slice>> parts = ScanSlices.split(streams, START, END, cores, random.nextBoolean());
      assertThat(parts.size()).isBetween(streamCount == 0 ? 0 : 1, cores);
      // every stream: its slices are contiguous, ascending, and cover [START, END) exactly once
      for (int s = 0; s < streamCount; s++) {
        long at = START;
        int lastPart = -1;
        for (int p = 0; p < parts.size(); p++) {
          for (Slice slice : parts.get(p)) {
            if (slice.stream() == s) {
              assertThat(p).isGreaterThan(lastPart);
              assertThat(slice.startNanos()).isEqualTo(at);
              assertThat(slice.endNanos()).isGreaterThan(slice.startNanos());
              at = slice.endNanos();
              lastPart = p;
            }
          }
        }
        assertThat(at).isEqualTo(END);
      }
    }
  }
}
