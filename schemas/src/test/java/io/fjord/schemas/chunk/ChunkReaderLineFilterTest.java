package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A line filter passes over refused lines without building them, and changes nothing else. */
class ChunkReaderLineFilterTest {

  @ParameterizedTest
  @EnumSource(ScanDirection.class)
  void filteredReadingEqualsReadingEverythingThenFiltering(ScanDirection direction) {
    Random random = new Random(7);
    for (int round = 0; round < 30; round++) {
      List<LogEntry> entries = new ArrayList<>();
      long ts = 1_000;
      for (int i = 0; i < 400; i++) {
        ts += random.nextInt(3); // equal timestamps too
        String line = randomLine(random);
        Labels md = random.nextInt(5) == 0 ? Labels.of("trace", "t" + random.nextInt(3)) : Labels.EMPTY;
        entries.add(new LogEntry(ts, line, md));
      }
      byte[] chunk = ChunkEncoder.encode("t", Labels.of("app", "x"), entries, ChunkCodec.ZSTD, 2048);
      long from = 1_000 + random.nextInt(200);
      long through = from + random.nextInt(600);
      byte[] needle = "ab".getBytes(StandardCharsets.UTF_8);
      LineFilter filter = (buf, off, len) -> contains(buf, off, len, needle);

      List<LogEntry> expected = new ArrayList<>();
      long expectedSkipped = 0;
      long expectedSkippedBytes = 0;
      Iterator<LogEntry> all = ChunkReader.of("c", chunk).entries(direction, from, through);
      while (all.hasNext()) {
        LogEntry e = all.next();
        byte[] b = e.line().getBytes(StandardCharsets.UTF_8);
        if (contains(b, 0, b.length, needle)) {
          expected.add(e);
        } else {
          expectedSkipped++;
          expectedSkippedBytes += b.length;
        }
      }
      LineFilter.Skipped skipped = new LineFilter.Skipped();
      List<LogEntry> got = new ArrayList<>();
      ChunkReader.of("c", chunk).entries(direction, from, through, filter, skipped).forEachRemaining(got::add);

      assertThat(got).containsExactlyElementsOf(expected);
      assertThat(skipped.entries()).isEqualTo(expectedSkipped);
      assertThat(skipped.bytes()).isEqualTo(expectedSkippedBytes);
    }
  }

  private static String randomLine(Random random) {
    String alphabet = "abcé x";
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static boolean contains(byte[] buf, int off, int len, byte[] needle) {
    outer:
    for (int i = off; i + needle.length <= off + len; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
