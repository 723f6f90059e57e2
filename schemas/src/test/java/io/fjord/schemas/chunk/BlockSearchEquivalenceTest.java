package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A filter that names its literals makes a v2 reader search each block's whole line region for them;
 * the result must be exactly what the line-by-line path (the same filter without literals) gives:
 * the same entries in the same order, the same skipped counts, the same refusals of bad bodies.
 */
class BlockSearchEquivalenceTest {
  private static final Labels STREAM = Labels.of("app", "x");
  private static final String ALPHABET = "abé\n x";

  @ParameterizedTest
  @EnumSource(ScanDirection.class)
  void searchingWholeBlocksYieldsWhatTheLineByLinePathYields(ScanDirection direction) {
    Random random = new Random(42 + direction.ordinal());
    for (int round = 0; round < 300; round++) {
      List<LogEntry> entries = randomEntries(random);
      ChunkCodec codec = random.nextBoolean() ? ChunkCodec.NONE : ChunkCodec.ZSTD;
      byte[] chunk = ChunkEncoder.encode("t", STREAM, entries, codec, 64 + random.nextInt(2048));
      List<byte[]> literals = new ArrayList<>();
      for (int k = 1 + random.nextInt(3); k > 0; k--) {
        literals.add(randomString(random, 1 + random.nextInt(3)).getBytes(StandardCharsets.UTF_8));
      }
      LineFilter searching = LineFilter.containingAny(literals);
      if (searching == LineFilter.ALL) {
        continue;
      }
      if (random.nextInt(4) == 0) {
        searching = stricter(searching); // mayKeep refuses some lines that hold a literal
      }
      LineFilter lineByLine = searching::mayKeep; // no literals named: the per-line path
      long minTs = entries.get(0).timestampNanos();
      long maxTs = entries.get(entries.size() - 1).timestampNanos();
      long from;
      long through;
      if (random.nextInt(4) == 0) {
        from = Long.MIN_VALUE;
        through = Long.MAX_VALUE;
      } else {
        from = minTs - 2 + random.nextInt((int) (maxTs - minTs) + 4);
        through = from + 1 + random.nextInt((int) (maxTs - minTs) + 4);
      }
      String what = "round " + round + " literals " + show(literals) + " range [" + from + ", " + through + ")";

      LineFilter.Skipped expectedSkipped = new LineFilter.Skipped();
      List<LogEntry> expected = read(chunk, direction, from, through, lineByLine, expectedSkipped);
      LineFilter.Skipped skipped = new LineFilter.Skipped();
      List<LogEntry> got = read(chunk, direction, from, through, searching, skipped);

      assertThat(got).as(what).containsExactlyElementsOf(expected);
      assertThat(skipped.entries()).as(what).isEqualTo(expectedSkipped.entries());
      assertThat(skipped.bytes()).as(what).isEqualTo(expectedSkipped.bytes());
    }
  }

  @Test
  void keptLinesAndSkippedCountsAreTheWorkedOutOnes() {
    // one block: "xab", "a\nb" (multi-line), "b", "ab x", "é"; the literal "ab" is in entries 0 and
    // 3 only ("a\nb" does not hold it; "b" LF "ab" spans a line end only as "b\nab")
    List<LogEntry> entries = List.of(
        new LogEntry(10, "xab", Labels.EMPTY),
        new LogEntry(11, "a\nb", Labels.of("k", "v")),
        new LogEntry(12, "b", Labels.EMPTY),
        new LogEntry(13, "ab x", Labels.of("k", "w")),
        new LogEntry(14, "é", Labels.EMPTY));
    byte[] chunk = ChunkEncoder.encode("t", STREAM, entries, ChunkCodec.NONE, 1 << 16);
    LineFilter ab = LineFilter.containingAny(List.of("ab".getBytes(StandardCharsets.UTF_8)));

    LineFilter.Skipped skipped = new LineFilter.Skipped();
    assertThat(read(chunk, ScanDirection.FORWARD, Long.MIN_VALUE, Long.MAX_VALUE, ab, skipped))
        .containsExactly(entries.get(0), entries.get(3));
    assertThat(skipped.entries()).isEqualTo(3);
    assertThat(skipped.bytes()).isEqualTo(3 + 1 + 2); // "a\nb", "b", "é" (2 bytes)

    skipped = new LineFilter.Skipped();
    assertThat(read(chunk, ScanDirection.BACKWARD, 11, 14, ab, skipped)).containsExactly(entries.get(3));
    assertThat(skipped.entries()).isEqualTo(2); // entries 1 and 2
    assertThat(skipped.bytes()).isEqualTo(3 + 1);

    LineFilter newline = LineFilter.containingAny(List.of("\nb".getBytes(StandardCharsets.UTF_8)));
    skipped = new LineFilter.Skipped();
    assertThat(read(chunk, ScanDirection.FORWARD, Long.MIN_VALUE, Long.MAX_VALUE, newline, skipped))
        .containsExactly(entries.get(1)); // in the multi-line entry; "a\nb\nb" across lines does not count
    assertThat(skipped.entries()).isEqualTo(4);
  }

  @Test
  void aCorruptBodyIsRefusedExactlyWhenTheLineByLinePathRefusesIt() {
    Random r = new Random(5);
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      entries.add(new LogEntry(100 + i / 2, i % 4 == 3 ? "multi\nab " + i : (i % 3 == 0 ? "ab " : "line ") + i,
          i % 3 == 0 ? Labels.of("trace_id", "t" + i) : Labels.EMPTY));
    }
    byte[] plain = ChunkEncoder.encode("t", STREAM, entries, ChunkCodec.NONE, 1 << 16);
    BlockMeta b = ChunkReader.of("plain", plain).blocks().get(0);
    int from = (int) b.offset() + ChunkFormat.BLOCK_HEADER_SIZE;
    byte[] body = Arrays.copyOfRange(plain, from, from + b.rawLength());
    LineFilter searching = LineFilter.containingAny(List.of("ab".getBytes(StandardCharsets.UTF_8),
        "e 1".getBytes(StandardCharsets.UTF_8)));
    LineFilter lineByLine = searching::mayKeep;
    int refused = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] bad = body.clone();
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        bad[r.nextInt(bad.length)] = (byte) (r.nextInt(3) == 0 ? '\n' : r.nextInt(256));
      }
      byte[] chunk = ChunkGoldenBytesTest.oneBlockChunk(2, ChunkCodec.NONE.id(), b.minTs(), b.maxTs(), b.entries(),
          bad.length, bad);
      long through = b.minTs() + r.nextInt(9);
      Object expected = outcome(chunk, lineByLine, through);
      Object got = outcome(chunk, searching, through);
      assertThat(got).as("round %d", round).isEqualTo(expected);
      if (expected instanceof String) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(1000);
  }

  /** The entries and skipped counts, or "refused" for a ChunkFormatException. */
  private static Object outcome(byte[] chunk, LineFilter filter, long through) {
    try {
      LineFilter.Skipped skipped = new LineFilter.Skipped();
      List<LogEntry> got = read(chunk, ScanDirection.FORWARD, Long.MIN_VALUE, through, filter, skipped);
      return List.of(got, skipped.entries(), skipped.bytes());
    } catch (ChunkFormatException e) {
      return "refused";
    }
  }

  private static List<LogEntry> read(byte[] chunk, ScanDirection direction, long from, long through,
      LineFilter filter, LineFilter.Skipped skipped) {
    List<LogEntry> out = new ArrayList<>();
    Iterator<LogEntry> it = ChunkReader.of("c", chunk).entries(direction, from, through, filter, skipped);
    it.forEachRemaining(out::add);
    return out;
  }

  /** Keeps only the lines the given filter keeps whose length is even. */
  private static LineFilter stricter(LineFilter f) {
    return new LineFilter() {
      @Override
      public boolean mayKeep(byte[] buf, int off, int len) {
        return len % 2 == 0 && f.mayKeep(buf, off, len);
      }

      @Override
      public List<byte[]> requiredLiterals() {
        return f.requiredLiterals();
      }
    };
  }

  private static List<LogEntry> randomEntries(Random random) {
    List<LogEntry> entries = new ArrayList<>();
    long ts = 1_000;
    for (int i = 1 + random.nextInt(300); i > 0; i--) {
      ts += random.nextInt(3); // equal timestamps too
      int len = random.nextInt(5) == 0 ? random.nextInt(40) : random.nextInt(8);
      Labels md = random.nextInt(4) == 0 ? Labels.of("trace", "t" + random.nextInt(3)) : Labels.EMPTY;
      entries.add(new LogEntry(ts, randomString(random, len), md));
    }
    return entries;
  }

  private static String randomString(Random random, int len) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  private static String show(List<byte[]> literals) {
    List<String> s = new ArrayList<>();
    for (byte[] l : literals) {
      s.add(new String(l, StandardCharsets.UTF_8).replace("\n", "\\n"));
    }
    return s.toString();
  }
}
