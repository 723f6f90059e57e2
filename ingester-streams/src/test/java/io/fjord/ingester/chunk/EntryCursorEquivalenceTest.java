package io.fjord.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import io.fjord.logql.eval.LinePrefilter;
import io.fjord.logql.eval.LogPipeline;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cursor walks random snapshots (overlapping blocks, equal timestamps, a head, both directions,
 * random ranges) in exactly the order of {@link EntryCursorReference}, the cursor as it was; with a
 * prefilter it returns exactly the entries of that walk whose line holds a literal, and counts the
 * others with their bytes.
 */
class EntryCursorEquivalenceTest {
  private static final String[] WORDS = {"needle", "hay", "é", "x", " ", "stack"};

  private static List<LogEntry> entries(Random r, long from, int n) {
    List<LogEntry> out = new ArrayList<>();
    long ts = from;
    for (int i = 0; i < n; i++) {
      ts += r.nextInt(3); // equal timestamps often
      StringBuilder line = new StringBuilder("l" + i);
      for (int k = r.nextInt(4); k > 0; k--) {
        line.append(WORDS[r.nextInt(WORDS.length)]);
      }
      Labels md = r.nextInt(5) == 0 ? Labels.of("trace", "t" + i) : Labels.EMPTY;
      out.add(new LogEntry(ts, line.toString(), md));
    }
    return out;
  }

  private record Seen(long ts, String line, Labels metadata) {}

  @Test
  void walksLikeTheReferenceCursor() {
    Random r = new Random(99);
    LinePrefilter needle = LogPipeline.of(LogQL.parseSelector("{a=\"b\"} |= \"needle\" or \"é\"")).prefilter();
    long skippedTotal = 0;
    for (int k = 0; k < 400; k++) {
      List<Block> blocks = new ArrayList<>();
      int nBlocks = r.nextInt(4);
      long base = 0;
      for (int b = 0; b < nBlocks; b++) {
        base += r.nextInt(2) == 0 ? r.nextInt(30) : 0; // often overlapping the previous block
        blocks.add(BlockCodec.encode(entries(r, base, 1 + r.nextInt(25))));
      }
      List<LogEntry> head = entries(r, r.nextInt(60), r.nextInt(15));
      head.sort(Comparator.comparingLong(LogEntry::timestampNanos));
      StreamSnapshot snapshot = new StreamSnapshot(blocks, new HeadRun(head.toArray(new LogEntry[0])));
      long start = r.nextInt(30);
      long end = start + 1 + r.nextInt(80);
      for (boolean forward : new boolean[] {true, false}) {
        List<Seen> expected = walk(new EntryCursorReference(snapshot, start, end, forward));
        EntryCursor plain = new EntryCursor(snapshot, start, end, forward);
        assertThat(walk(plain)).isEqualTo(expected);
        EntryCursor filtered = new EntryCursor(snapshot, start, end, forward, needle);
        List<Seen> kept = new ArrayList<>();
        long keptBytes = 0;
        while (filtered.next()) {
          kept.add(new Seen(filtered.ts(), filtered.line(), filtered.metadata()));
          keptBytes += filtered.lineBytes();
          assertThat(filtered.lineBytes()).isEqualTo(filtered.line().getBytes(StandardCharsets.UTF_8).length);
        }
        List<Seen> expectedKept = expected.stream().filter(s -> s.line().contains("needle") || s.line().contains("é"))
            .toList();
        assertThat(kept).isEqualTo(expectedKept);
        long allBytes = expected.stream().mapToLong(s -> s.line().getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(filtered.skippedEntries()).isEqualTo(expected.size() - expectedKept.size());
        assertThat(filtered.skippedBytes() + keptBytes).isEqualTo(allBytes);
        skippedTotal += filtered.skippedEntries();
      }
    }
    assertThat(skippedTotal).isPositive();
  }

  private static List<Seen> walk(io.fjord.logql.exec.EntryIterator c) {
    List<Seen> out = new ArrayList<>();
    while (c.next()) {
      out.add(new Seen(c.ts(), c.line(), c.metadata()));
    }
    return out;
  }
}
