package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.schemas.labels.Labels;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The samples of one entry, by Loki's documented rules for range aggregations and unwrap
 * (expected values worked out by hand from the line).
 */
class SampleExtractorTest {
  private static final Labels STREAM = Labels.of("app", "a", "env", "prod");

  @ParameterizedTest(name = "{0} | {1}")
  @CsvSource(delimiter = ';', quoteCharacter = '\'', nullValues = "DROPPED", textBlock = """
      # query; line; expected labels; expected value
      count_over_time({app="a"}[1m]); 'anything'; {app="a", env="prod"}; 1
      rate({app="a"} |= "x"[1m]); 'has x'; {app="a", env="prod"}; 1
      rate({app="a"} |= "x"[1m]); 'has y'; DROPPED; DROPPED
      absent_over_time({app="a"}[1m]); 'z'; {app="a", env="prod"}; 1
      bytes_over_time({app="a"}[1m]); 'héllo'; {app="a", env="prod"}; 6
      bytes_rate({app="a"}[1m]); '🧪'; {app="a", env="prod"}; 4
      bytes_over_time({app="a"} | line_format "{{.level}}"[1m]); 'level=info'; {app="a", env="prod"}; 0
      bytes_over_time({app="a"} | logfmt | line_format "{{.level}}"[1m]); 'level=info'; {app="a", env="prod", level="info"}; 4
      sum_over_time({app="a"} | logfmt | unwrap latency[1m]); 'latency=1.5 level=info'; {app="a", env="prod", level="info"}; 1.5
      sum_over_time({app="a"} | logfmt | unwrap latency[1m]); 'latency=-2e3'; {app="a", env="prod"}; -2000
      max_over_time({app="a"} | logfmt | unwrap bytes(size)[1m]); 'size=1.5KB'; {app="a", env="prod"}; 1500
      max_over_time({app="a"} | logfmt | unwrap bytes(size)[1m]); 'size=2KiB'; {app="a", env="prod"}; 2048
      avg_over_time({app="a"} | logfmt | unwrap duration(d)[1m]); 'd=1m30s'; {app="a", env="prod"}; 90
      avg_over_time({app="a"} | logfmt | unwrap duration_seconds(d)[1m]); 'd=250ms'; {app="a", env="prod"}; 0.25
      rate({app="a"} | logfmt | unwrap n[1m]); 'n=7'; {app="a", env="prod"}; 7
      sum_over_time({app="a"} | logfmt | unwrap latency[1m]); 'latency=abc'; '{__error__="SampleExtractionErr", __error_details__="strconv.ParseFloat: parsing \\"abc\\": invalid syntax", app="a", env="prod", latency="abc"}'; 0
      sum_over_time({app="a"} | logfmt | unwrap latency[1m]); 'level=info'; '{__error__="SampleExtractionErr", __error_details__="strconv.ParseFloat: parsing \\"\\": invalid syntax", app="a", env="prod", level="info"}'; 0
      sum_over_time({app="a"} | logfmt | unwrap duration(d)[1m]); 'd=5x'; '{__error__="SampleExtractionErr", __error_details__="time: unknown unit \\"x\\" in duration \\"5x\\"", app="a", d="5x", env="prod"}'; 0
      sum_over_time({app="a"} | logfmt | unwrap latency | __error__=""[1m]); 'latency=abc'; DROPPED; DROPPED
      sum_over_time({app="a"} | logfmt | unwrap latency | __error__=""[1m]); 'latency=3'; {app="a", env="prod"}; 3
      sum_over_time({app="a"} | logfmt | unwrap latency | level="info"[1m]); 'latency=3 level=warn'; DROPPED; DROPPED
      min_over_time({app="a"} | logfmt | unwrap latency[1m]) by (level); 'latency=3 level=warn'; {level="warn"}; 3
      min_over_time({app="a"} | logfmt | unwrap latency[1m]) by (pod); 'latency=3 level=warn'; {}; 3
      min_over_time({app="a"} | logfmt | unwrap latency[1m]) by (latency); 'latency=3'; {latency="3"}; 3
      min_over_time({app="a"} | logfmt | unwrap latency[1m]) without (level); 'latency=3 level=warn'; {app="a", env="prod"}; 3
      min_over_time({app="a"} | logfmt | unwrap latency[1m]) without (env); 'latency=x level=warn'; '{__error__="SampleExtractionErr", __error_details__="strconv.ParseFloat: parsing \\"x\\": invalid syntax", app="a", env="prod", latency="x", level="warn"}'; 0
      count_over_time({app="a"} | json[1m]); '{"a":'; '{__error__="JSONParserErr", __error_details__="Value looks like object, but can''t find closing ''}'' symbol", app="a", env="prod"}'; 1
      """)
  void extractsOneSample(String query, String line, String labels, Double value) {
    ExtractedSample s = SampleExtractor.of(range(query)).forStream(STREAM).process(1, line, Labels.EMPTY);
    if (labels == null) {
      assertThat(s).isNull();
      return;
    }
    assertThat(s).isNotNull();
    assertThat(s.labels()).hasToString(labels);
    assertThat(s.value()).isEqualTo(value);
  }

  @Test
  void structuredMetadataIsPartOfTheLabels() {
    StreamSampleExtractor x = SampleExtractor.of(range("count_over_time({app=\"a\"}[1m])")).forStream(STREAM);
    assertThat(x.process(1, "l", Labels.of("trace_id", "t1")).labels())
        .isEqualTo(Labels.of("app", "a", "env", "prod", "trace_id", "t1"));
    assertThat(x.process(2, "l", Labels.of("trace_id", "t2")).labels())
        .isEqualTo(Labels.of("app", "a", "env", "prod", "trace_id", "t2"));
    assertThat(x.process(3, "l", Labels.EMPTY).labels()).isEqualTo(STREAM);
  }

  @Test
  void aPushedDownGroupingReplacesTheFullLabelSet() {
    RangeAggregationExpr expr = range("count_over_time({app=\"a\"} | logfmt[1m])");
    StreamSampleExtractor byLevel =
        SampleExtractor.of(expr, Optional.of(new Grouping(false, List.of("level")))).forStream(STREAM);
    assertThat(byLevel.process(1, "level=info x=1", Labels.EMPTY)).isEqualTo(
        new ExtractedSample(Labels.of("level", "info"), 1));
    StreamSampleExtractor all = SampleExtractor.of(expr, Optional.of(new Grouping(false, List.of())))
        .forStream(STREAM);
    assertThat(all.process(1, "level=info x=1", Labels.EMPTY)).isEqualTo(new ExtractedSample(Labels.EMPTY, 1));
    StreamSampleExtractor withoutEnv = SampleExtractor.of(expr, Optional.of(new Grouping(true, List.of("env", "x"))))
        .forStream(STREAM);
    assertThat(withoutEnv.process(1, "level=info x=1", Labels.EMPTY)).isEqualTo(
        new ExtractedSample(Labels.of("app", "a", "level", "info"), 1));
  }

  @Test
  void laterEntriesOfAStreamDoNotSeeEarlierExtractedLabels() {
    StreamSampleExtractor x = SampleExtractor.of(range("sum_over_time({app=\"a\"} | logfmt | unwrap n[1m])"))
        .forStream(STREAM);
    assertThat(x.process(1, "n=1 level=info", Labels.EMPTY).labels()).isEqualTo(
        Labels.of("app", "a", "env", "prod", "level", "info"));
    assertThat(x.process(2, "n=2", Labels.EMPTY)).isEqualTo(new ExtractedSample(STREAM, 2));
    assertThat(x.process(3, "n=oops", Labels.EMPTY).error()).isEqualTo("SampleExtractionErr");
    assertThat(x.process(4, "n=4", Labels.EMPTY)).isEqualTo(new ExtractedSample(STREAM, 4));
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      count_over_time({a="b"}[1m]); COUNT
      rate({a="b"}[1m]); COUNT
      absent_over_time({a="b"}[1m]); COUNT
      bytes_rate({a="b"}[1m]); BYTES
      bytes_over_time({a="b"}[1m]); BYTES
      rate({a="b"} | unwrap x[1m]); UNWRAP
      rate_counter({a="b"} | unwrap x[1m]); UNWRAP
      quantile_over_time(0.5, {a="b"} | unwrap x[1m]); UNWRAP
      """)
  void kindFollowsTheOperation(String query, SampleExtractor.Kind kind) {
    assertThat(SampleExtractor.of(range(query)).kind()).isEqualTo(kind);
  }

  private static RangeAggregationExpr range(String query) {
    return (RangeAggregationExpr) LogQL.parse(query);
  }
}
