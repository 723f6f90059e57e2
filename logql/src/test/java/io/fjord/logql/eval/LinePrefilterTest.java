package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import io.fjord.schemas.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The literals a pipeline's kept lines must hold: worked out by hand for typical pipelines, then
 * checked never to reject a line the pipeline keeps, on random pipelines and lines, with the
 * byte test agreeing with the string test.
 */
class LinePrefilterTest {
  private static LinePrefilter of(String stages) {
    return LogPipeline.of(LogQL.parseSelector("{app=\"bench\"} " + stages)).prefilter();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      |= "needle" => [needle]
      |= "needle" or "hay" => [needle, hay]
      |~ "needle" => [needle]
      |~ "needle|upstream timeout [0-9]" => [needle, upstream timeout ]
      |= "a" |~ "needle|upstream timeout [0-9]" => [needle, upstream timeout ]
      |= "needle" |= "a" => [needle]
      | json | status >= 500 |= "needle" => [needle]
      |= "{" | json |= "needle" => [needle]
      | line_format "{{.msg}}" |= "needle" => []
      != "needle" => []
      |= "" => []
      |= "a" or "" => []
      |~ "(?i)needle" => []
      |~ "a|.*" => []
      |= ip("10.0.0.0/8") => []
      |> "<_> GET <_>" => []
      | logfmt => []
      """)
  void readsTheLeadingFilters(String stages, String literals) {
    assertThat(of(stages).literals().toString()).isEqualTo(literals);
  }

  private static final String[] FILTERS = {"|= \"ab\"", "|= \"é\"", "|= \"ab\" or \"c\"", "|~ \"a.b\"", "|~ \"ab|c[0-9]\"",
      "|~ \"x?ab\"", "!= \"c\"", "|= \"b\"", "| line_format \"{{.a}}c\"", "| logfmt", "| a=\"b\"", "|~ \"(?i)AB\""};
  private static final String[] PIECES = {"a", "b", "c", "é", "ab", "a=b", "a=c", "1", " ", "x", "😀"};

  @Test
  void neverRejectsALineThePipelineKeeps() {
    Random r = new Random(9);
    int kept = 0;
    int rejected = 0;
    for (int k = 0; k < 500; k++) {
      StringBuilder stages = new StringBuilder();
      int n = 1 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        stages.append(FILTERS[r.nextInt(FILTERS.length)]).append(' ');
      }
      LogPipeline pipeline = LogPipeline.of(LogQL.parseSelector("{app=\"bench\"} " + stages));
      StreamPipeline p = pipeline.forStream(Labels.of("app", "bench"));
      LinePrefilter f = pipeline.prefilter();
      for (int l = 0; l < 60; l++) {
        StringBuilder line = new StringBuilder();
        int len = r.nextInt(6);
        for (int i = 0; i < len; i++) {
          line.append(PIECES[r.nextInt(PIECES.length)]);
        }
        String s = line.toString();
        byte[] padded = ("zz" + s + "b").getBytes(StandardCharsets.UTF_8);
        int bytes = s.getBytes(StandardCharsets.UTF_8).length;
        boolean may = f.mayKeep(s);
        assertThat(f.mayKeep(padded, 2, bytes)).as("%s on [%s]", f, s).isEqualTo(may);
        if (p.process(1, s, Labels.EMPTY) != null) {
          assertThat(may).as("%s keeps [%s]", stages, s).isTrue();
          kept++;
        } else if (!may) {
          rejected++;
        }
      }
    }
    assertThat(kept).isPositive();
    assertThat(rejected).as("lines the prefilter alone rejects").isPositive();
  }

  @Test
  void theSampleExtractorOfACountWithoutStagesCountsEntriesOnly() {
    assertThat(extractor("count_over_time({app=\"a\"}[1m])").countsEntriesOnly()).isTrue();
    assertThat(extractor("rate({app=\"a\"}[1m])").countsEntriesOnly()).isTrue();
    assertThat(extractor("count_over_time({app=\"a\"} |= \"x\"[1m])").countsEntriesOnly()).isFalse();
    assertThat(extractor("bytes_over_time({app=\"a\"}[1m])").countsEntriesOnly()).isFalse();
    assertThat(extractor("count_over_time({app=\"a\"} |= \"x\"[1m])").prefilter().literals()).isEqualTo(List.of("x"));
  }

  @Test
  void theWordAtATimeSearchFindsWhatAByteByByteSearchFinds() {
    // small alphabets make partial matches, repeated first and last bytes and borrows between
    // equal neighbouring bytes common; bytes >= 0x80 and every offset and length near a word boundary occur
    Random random = new Random(7);
    byte[][] alphabets = {"ab".getBytes(StandardCharsets.UTF_8), "nedl".getBytes(StandardCharsets.UTF_8),
        {0, 1, (byte) 0x80, (byte) 0xff, 0x7f}};
    int found = 0;
    for (int run = 0; run < 20_000; run++) {
      byte[] alphabet = alphabets[run % alphabets.length];
      byte[] buf = new byte[random.nextInt(40)];
      for (int i = 0; i < buf.length; i++) {
        buf[i] = alphabet[random.nextInt(alphabet.length)];
      }
      byte[] pattern = new byte[1 + random.nextInt(5)];
      for (int i = 0; i < pattern.length; i++) {
        pattern[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int off = buf.length == 0 ? 0 : random.nextInt(buf.length + 1);
      int len = random.nextInt(buf.length - off + 1);
      int expected = naiveIndexOf(buf, off, len, pattern);
      assertThat(LinePrefilter.indexOf(buf, off, len, pattern))
          .as("pattern %s in %s [%d, +%d)", java.util.Arrays.toString(pattern), java.util.Arrays.toString(buf), off, len)
          .isEqualTo(expected);
      if (expected >= 0) {
        found++;
      }
    }
    assertThat(found).as("runs where the pattern occurs").isBetween(2_000, 18_000);
  }

  private static int naiveIndexOf(byte[] buf, int off, int len, byte[] pattern) {
    outer:
    for (int i = off; i + pattern.length <= off + len; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (buf[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static SampleExtractor extractor(String q) {
    return SampleExtractor.of((io.fjord.logql.ast.RangeAggregationExpr) LogQL.parse(q));
  }
}
