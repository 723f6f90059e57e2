package io.fjord.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void add(Head h, long ts, String line) {
    h.insert(h.upperBound(ts), ts, utf8(line), Labels.EMPTY);
  }

  private static List<LogEntry> entries(EntryRun run) {
    List<LogEntry> out = new ArrayList<>();
    for (int i = 0; i < run.size(); i++) {
      out.add(new LogEntry(run.ts(i), run.line(i), run.metadata(i)));
    }
    return out;
  }

  @Test
  void keepsEntriesSortedWithEqualTimestampsInArrivalOrder() {
    Head h = new Head();
    add(h, 30, "c");
    add(h, 10, "a");
    add(h, 20, "b1");
    add(h, 20, "b2");
    add(h, 40, "d");

    assertThat(entries(h.run(0, h.size()))).containsExactly(new LogEntry(10, "a"), new LogEntry(20, "b1"),
        new LogEntry(20, "b2"), new LogEntry(30, "c"), new LogEntry(40, "d"));
    assertThat(h.lineBytes()).isEqualTo(7);
    assertThat(h.lowerBound(20)).isEqualTo(1);
    assertThat(h.upperBound(20)).isEqualTo(3);
  }

  @Test
  void findsDuplicatesByTimestampAndBytes() {
    Head h = new Head();
    add(h, 5, "héllo");
    add(h, 5, "other");

    assertThat(h.contains(h.upperBound(5), 5, utf8("héllo"))).isTrue();
    assertThat(h.contains(h.upperBound(5), 5, utf8("hello"))).isFalse();
    assertThat(h.contains(h.upperBound(6), 6, utf8("héllo"))).isFalse();
  }

  @Test
  void aRunTakenEarlierDoesNotChangeWhenTheHeadGrowsOrIsCleared() {
    Head h = new Head();
    for (int i = 0; i < 10; i++) {
      add(h, i * 10, "line " + i);
    }
    HeadRun before = h.run(2, 5);
    // out-of-order inserts shift the entry arrays; many lines grow the byte array
    add(h, 25, "between");
    for (int i = 0; i < 2_000; i++) {
      add(h, 1_000 + i, "x".repeat(50));
    }
    h.clear();
    add(h, 1, "after clear");

    assertThat(entries(before)).containsExactly(new LogEntry(20, "line 2"), new LogEntry(30, "line 3"),
        new LogEntry(40, "line 4"));
    assertThat(entries(h.run(0, h.size()))).containsExactly(new LogEntry(1, "after clear"));
  }

  @Test
  void keepsStructuredMetadataOnlyWhereGiven() {
    Head h = new Head();
    add(h, 10, "plain");
    Labels md = Labels.of("trace_id", "abc");
    h.insert(h.upperBound(5), 5, utf8("with"), md);
    add(h, 7, "plain too");

    assertThat(entries(h.run(0, h.size()))).containsExactly(new LogEntry(5, "with", md),
        new LogEntry(7, "plain too"), new LogEntry(10, "plain"));
  }

  @Test
  void aDetachedHeadEncodesToTheSameBlockAsItsEntries() {
    Head h = new Head();
    add(h, 2, "b");
    add(h, 1, "ä");
    add(h, 3, "c");

    EntryRun run = BlockCodec.encode(h.detach()).decode();

    assertThat(entries(run)).containsExactly(new LogEntry(1, "ä"), new LogEntry(2, "b"), new LogEntry(3, "c"));
    assertThat(run.lineBytes(0)).isEqualTo(2);
  }

  @Test
  void anEmptiedHeadHoldsNoLineBytesUntilItsNextInsertThenRoomForTheLastHead() {
    Head h = new Head();
    assertThat(h.byteCapacity()).isZero();
    for (int i = 0; i < 100; i++) {
      add(h, i, "y".repeat(100)); // 10,000 line bytes
    }
    h.clear();
    assertThat(h.byteCapacity()).isZero(); // a sealed chunk's head keeps nothing

    add(h, 1, "z");
    assertThat(h.byteCapacity()).isGreaterThanOrEqualTo(10_000);
    assertThat(entries(h.run(0, h.size()))).containsExactly(new LogEntry(1, "z"));
  }
}
