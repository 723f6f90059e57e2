package io.fjord.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCutterTest {
  private static final Labels A = Labels.of("app", "a");
  private static final Labels B = Labels.of("app", "b");

  /** An entry whose size counts 8 (timestamp) + 2 (line) = 10. */
  private static LogEntry e(long ts, String twoChars) {
    return new LogEntry(ts, twoChars);
  }

  @Test
  void aStreamIsCutOnceItHoldsTheTargetSizeAndEachChunkIsSortedByTime() {
    List<ChunkCutter.Cut> cuts = new ArrayList<>();
    ChunkCutter cutter = new ChunkCutter(30, 1_000, cuts::add);
    cutter.add("t", A, e(5, "l1"));
    cutter.add("t", A, e(3, "l2"));
    assertThat(cuts).isEmpty(); // 20 of 30
    cutter.add("t", A, e(4, "l3")); // 30: cut
    cutter.add("t", A, e(1, "l4"));
    cutter.finish();
    assertThat(cuts).hasSize(2);
    assertThat(cuts.get(0).entries()).containsExactly(e(3, "l2"), e(4, "l3"), e(5, "l1"));
    assertThat(cuts.get(1).entries()).containsExactly(e(1, "l4"));
  }

  @Test
  void anEntryWithTheTimestampAndLineOfAnEarlierOneIsDroppedButOtherLinesAtThatTimeKept() {
    List<ChunkCutter.Cut> cuts = new ArrayList<>();
    ChunkCutter cutter = new ChunkCutter(1_000, 1_000, cuts::add);
    cutter.add("t", A, e(7, "xx"));
    cutter.add("t", A, e(7, "yy"));
    cutter.add("t", A, e(6, "xx"));
    cutter.add("t", A, e(7, "xx"));
    cutter.finish();
    assertThat(cuts).singleElement().extracting(ChunkCutter.Cut::entries).asList()
        .containsExactly(e(6, "xx"), e(7, "xx"), e(7, "yy"));
    assertThat(cutter.duplicates()).isEqualTo(1);
  }

  @Test
  void streamsAndTenantsAreKeptApartAndFinishCutsThemInTenantAndLabelOrder() {
    List<ChunkCutter.Cut> cuts = new ArrayList<>();
    ChunkCutter cutter = new ChunkCutter(1_000, 1_000, cuts::add);
    cutter.add("u", A, e(1, "u1"));
    cutter.add("t", B, e(2, "b1"));
    cutter.add("t", A, e(3, "a1"));
    cutter.add("t", B, e(4, "b2"));
    cutter.finish();
    assertThat(cuts).extracting(c -> c.tenant() + " " + c.labels() + " " + c.entries().size())
        .containsExactly("t {app=\"a\"} 1", "t {app=\"b\"} 2", "u {app=\"a\"} 1");
  }

  @Test
  void pastTheBufferLimitTheLargestStreamIsCutFirst() {
    List<ChunkCutter.Cut> cuts = new ArrayList<>();
    ChunkCutter cutter = new ChunkCutter(1_000, 45, cuts::add);
    cutter.add("t", A, e(1, "a1"));
    cutter.add("t", B, e(1, "b1"));
    cutter.add("t", B, e(2, "b2"));
    cutter.add("t", A, e(2, "a2"));
    assertThat(cuts).isEmpty(); // 40 of 45
    cutter.add("t", A, e(3, "a3")); // 50: A holds 30, B 20
    assertThat(cuts).singleElement().satisfies(c -> {
      assertThat(c.labels()).isEqualTo(A);
      assertThat(c.entries()).hasSize(3);
    });
  }

  @Test
  void theSameEntriesInTheSameOrderGiveTheSameChunks() {
    Random random = new Random(42);
    List<Object[]> input = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      Labels stream = Labels.of("app", "s" + random.nextInt(7));
      input.add(new Object[] {"t" + random.nextInt(2), stream,
          new LogEntry(random.nextInt(500), "line " + random.nextInt(300))});
    }
    List<ChunkCutter.Cut> first = cutAll(input);
    List<ChunkCutter.Cut> second = cutAll(input);
    assertThat(second).isEqualTo(first);
    assertThat(first.size()).isGreaterThan(14); // cut by size and by the buffer limit, not only at finish
    for (ChunkCutter.Cut c : first) {
      assertThat(c.entries()).isSortedAccordingTo(java.util.Comparator.comparingLong(LogEntry::timestampNanos));
    }
  }

  private static List<ChunkCutter.Cut> cutAll(List<Object[]> input) {
    List<ChunkCutter.Cut> cuts = new ArrayList<>();
    ChunkCutter cutter = new ChunkCutter(400, 1_500, cuts::add);
    for (Object[] in : input) {
      cutter.add((String) in[0], (Labels) in[1], (LogEntry) in[2]);
    }
    cutter.finish();
    return cuts;
  }
}
