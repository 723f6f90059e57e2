package io.fjord.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The block search marks exactly the lines that contain a literal, as a search line by line would:
 * hits in the framing between lines (timestamps, lengths, metadata) or across a line's end are not
 * a line's, and only lines of the asked index range are marked.
 */
class BlockSearchTest {
  private static DecodedBlock block(List<LogEntry> entries) {
    return (DecodedBlock) BlockCodec.encode(entries).decode();
  }

  private static List<byte[]> literals(String... l) {
    List<byte[]> out = new ArrayList<>();
    for (String s : l) {
      out.add(s.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void marksTheLinesHoldingALiteralAndNoOther() {
    DecodedBlock b = block(List.of(new LogEntry(1, "GET /a 200"), new LogEntry(2, "needle here"),
        new LogEntry(3, "nothing"), new LogEntry(4, "two needle needle"), new LogEntry(5, "")));
    assertThat(BlockSearch.linesHolding(b, 0, 5, literals("needle"))).containsExactly(false, true, false, true, false);
    assertThat(BlockSearch.linesHolding(b, 0, 5, literals("GET", "nothing")))
        .containsExactly(true, false, true, false, false);
  }

  @Test
  void aHitAcrossTwoLinesOrInTheMetadataIsNoLines() {
    // "ab" ends line 0 and "cd" starts line 1: "bc" is never inside one line; "zz" is in metadata only
    DecodedBlock b = block(List.of(new LogEntry(1, "xab", Labels.of("k", "zz")), new LogEntry(2, "cdx")));
    assertThat(BlockSearch.linesHolding(b, 0, 2, literals("zz"))).containsExactly(false, false);
    assertThat(BlockSearch.linesHolding(b, 0, 2, literals("abcd", "xab"))).containsExactly(true, false);
  }

  @Test
  void onlyTheAskedRangeIsMarked() {
    DecodedBlock b = block(List.of(new LogEntry(1, "hit"), new LogEntry(2, "hit"), new LogEntry(3, "hit"),
        new LogEntry(4, "hit")));
    assertThat(BlockSearch.linesHolding(b, 1, 3, literals("hit"))).containsExactly(false, true, true, false);
  }

  @Test
  void agreesWithALineByLineSearchOnRandomBlocks() {
    Random random = new Random(11);
    String alphabet = "abn\u00e9\u2713e ";
    for (int round = 0; round < 300; round++) {
      List<LogEntry> entries = new ArrayList<>();
      int n = 1 + random.nextInt(40);
      for (int i = 0; i < n; i++) {
        StringBuilder line = new StringBuilder();
        int len = random.nextInt(12);
        for (int j = 0; j < len; j++) {
          line.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        Labels md = random.nextInt(4) == 0 ? Labels.of("k", "ab" + i) : Labels.EMPTY;
        entries.add(new LogEntry(i, line.toString(), md));
      }
      String[] wanted = random.nextBoolean() ? new String[] {"ab"} : new String[] {"n\u00e9", "e a", "\u2713"};
      int lo = random.nextInt(n);
      int hi = lo + 1 + random.nextInt(n - lo);
      boolean[] got = BlockSearch.linesHolding(block(entries), lo, hi, literals(wanted));
      for (int i = 0; i < n; i++) {
        boolean holds = false;
        for (String w : wanted) {
          holds |= entries.get(i).line().contains(w);
        }
        assertThat(got[i]).as("round %d line %d", round, i).isEqualTo(i >= lo && i < hi && holds);
      }
    }
  }
}
