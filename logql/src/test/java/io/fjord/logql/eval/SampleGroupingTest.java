package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A {@code by (...)} grouping gives each sample the labels the full label set has under those names,
 * whether or not a parser touched the labels: random logfmt lines through extractors grouped
 * {@code by (level, path, app)} are compared with the full labels of an ungrouped extractor, reduced
 * by hand.
 */
class SampleGroupingTest {
  private static final Labels STREAM = Labels.of("app", "bench", "env", "prod");

  @Test
  void groupingByReadsTheSameLabelsAsTheFullSet() {
    RangeAggregationExpr expr = (RangeAggregationExpr) LogQL.parse(
        "count_over_time({app=\"bench\"} | logfmt --strict | drop env | label_format app=\"{{.svc}}\" [1m])");
    List<String> by = List.of("path", "level", "app");
    StreamSampleExtractor grouped = SampleExtractor.of(expr, Optional.of(new Grouping(false, by))).forStream(STREAM);
    StreamSampleExtractor full = SampleExtractor.of(expr, Optional.of(new Grouping(true, List.of())))
        .forStream(STREAM);
    Random r = new Random(3);
    String[] levels = {"info", "warn", "", "error"};
    String[] paths = {"/a", "/b"};
    int withError = 0;
    for (int i = 0; i < 2000; i++) {
      StringBuilder line = new StringBuilder();
      if (r.nextBoolean()) {
        line.append("level=").append(levels[r.nextInt(levels.length)]).append(' ');
      }
      if (r.nextBoolean()) {
        line.append("path=").append(paths[r.nextInt(paths.length)]).append(' ');
      }
      if (r.nextInt(4) == 0) {
        line.append("svc=s").append(r.nextInt(2)).append(' ');
      }
      if (r.nextInt(10) == 0) {
        line.append("q=\"open");
      }
      ExtractedSample all = full.process(i, line.toString(), Labels.EMPTY);
      ExtractedSample mine = grouped.process(i, line.toString(), Labels.EMPTY);
      Labels expected;
      if (all.error() != null) {
        expected = all.labels(); // an entry in error keeps all its labels
        withError++;
      } else {
        List<String[]> kept = new ArrayList<>();
        for (String[] p : all.labels().pairs()) {
          if (by.contains(p[0])) {
            kept.add(p);
          }
        }
        expected = Labels.ofPairs(kept);
      }
      assertThat(mine.labels()).as("line [%s]", line).isEqualTo(expected);
      assertThat(mine.value()).isEqualTo(1);
    }
    assertThat(withError).as("entries in error").isPositive();
  }
}
