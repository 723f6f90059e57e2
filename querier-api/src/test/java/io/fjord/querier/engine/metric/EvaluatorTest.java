package io.fjord.querier.engine.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.ast.SampleExpr;
import io.fjord.querier.engine.MetricSeries;
import io.fjord.querier.engine.VectorSample;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The evaluator over canned series, with expectations worked out by hand from LogQL's documented
 * semantics (and Prometheus' for vector matching, which LogQL adopts).
 *
 * <p>Data at the instant T = 1000 s, counted over 1m windows: {@code {app="x"}} has four series
 * with 3, 1, 2 and 5 entries in the window; {@code {app="y"}} has {env="prod"} 10 and {env="dev"} 4.
 */
class EvaluatorTest {
  private static final long S = 1_000_000_000L;
  private static final long T = 1000 * S;
  private static final Map<String, Map<Labels, Integer>> COUNTS = Map.of(
      "x", ordered(Labels.of("env", "prod", "pod", "a"), 3, Labels.of("env", "prod", "pod", "b"), 1,
          Labels.of("env", "dev", "pod", "a"), 2, Labels.of("env", "dev", "pod", "c"), 5),
      "y", ordered(Labels.of("env", "prod"), 10, Labels.of("env", "dev"), 4));

  private final List<Grouping> pushed = new ArrayList<>();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "sum(count_over_time({app=\"x\"}[1m]))                           | {}=11",
      "sum by (env) (count_over_time({app=\"x\"}[1m]))                 | {env=\"dev\"}=7; {env=\"prod\"}=4",
      "sum without (pod) (count_over_time({app=\"x\"}[1m]))            | {env=\"dev\"}=7; {env=\"prod\"}=4",
      "avg by (env) (count_over_time({app=\"x\"}[1m]))                 | {env=\"dev\"}=3.5; {env=\"prod\"}=2",
      "count(count_over_time({app=\"x\"}[1m]))                         | {}=4",
      "min by (pod) (count_over_time({app=\"x\"}[1m]))                 | {pod=\"a\"}=2; {pod=\"b\"}=1; {pod=\"c\"}=5",
      "max(count_over_time({app=\"x\"}[1m]))                           | {}=5",
      "stdvar(count_over_time({app=\"x\"}[1m]))                        | {}=2.1875",
      "stddev(count_over_time({app=\"x\"}[1m]))                        | {}=1.479019945774904",
      "topk(2, count_over_time({app=\"x\"}[1m]))                       | {env=\"dev\", pod=\"c\"}=5; {env=\"prod\", pod=\"a\"}=3",
      "bottomk by (env) (1, count_over_time({app=\"x\"}[1m]))          | {env=\"dev\", pod=\"a\"}=2; {env=\"prod\", pod=\"b\"}=1",
      "sort_desc(count_over_time({app=\"x\"}[1m]))                     | {env=\"dev\", pod=\"c\"}=5; {env=\"prod\", pod=\"a\"}=3; {env=\"dev\", pod=\"a\"}=2; {env=\"prod\", pod=\"b\"}=1",
      "sort(count_over_time({app=\"y\"}[1m]))                          | {env=\"dev\"}=4; {env=\"prod\"}=10",
      "count_over_time({app=\"x\"}[1m]) > 2                            | {env=\"dev\", pod=\"c\"}=5; {env=\"prod\", pod=\"a\"}=3",
      "2 < count_over_time({app=\"x\"}[1m])                            | {env=\"dev\", pod=\"c\"}=5; {env=\"prod\", pod=\"a\"}=3",
      "count_over_time({app=\"y\"}[1m]) >= bool 10                     | {env=\"dev\"}=0; {env=\"prod\"}=1",
      "count_over_time({app=\"y\"}[1m]) * 2                            | {env=\"dev\"}=8; {env=\"prod\"}=20",
      "10 / count_over_time({app=\"y\"}[1m])                           | {env=\"dev\"}=2.5; {env=\"prod\"}=1",
      "count_over_time({app=\"y\"}[1m]) / 0                            | {env=\"dev\"}=NaN; {env=\"prod\"}=NaN",
      "count_over_time({app=\"y\"}[1m]) % 3                            | {env=\"dev\"}=1; {env=\"prod\"}=1",
      "count_over_time({app=\"y\"}[1m]) ^ 2                            | {env=\"dev\"}=16; {env=\"prod\"}=100",
      "count_over_time({app=\"x\"}[1m]) / on (env) group_left count_over_time({app=\"y\"}[1m]) | "
          + "{env=\"dev\", pod=\"a\"}=0.5; {env=\"dev\", pod=\"c\"}=1.25; {env=\"prod\", pod=\"a\"}=0.3; {env=\"prod\", pod=\"b\"}=0.1",
      "count_over_time({app=\"y\"}[1m]) / on (env) group_right count_over_time({app=\"x\"}[1m]) | "
          + "{env=\"dev\", pod=\"a\"}=2; {env=\"dev\", pod=\"c\"}=0.8; {env=\"prod\", pod=\"a\"}=3.3333333333333335; {env=\"prod\", pod=\"b\"}=10",
      "sum by (env) (count_over_time({app=\"x\"}[1m])) - on (env) count_over_time({app=\"y\"}[1m]) | {env=\"dev\"}=3; {env=\"prod\"}=-6",
      "sum by (env, pod) (count_over_time({app=\"x\"}[1m])) - ignoring (pod) group_left count_over_time({app=\"y\"}[1m]) | "
          + "{env=\"dev\", pod=\"a\"}=-2; {env=\"dev\", pod=\"c\"}=1; {env=\"prod\", pod=\"a\"}=-7; {env=\"prod\", pod=\"b\"}=-9",
      "count_over_time({app=\"y\"}[1m]) - count_over_time({app=\"y\"}[1m]) | {env=\"dev\"}=0; {env=\"prod\"}=0",
      "count_over_time({app=\"x\"}[1m]) and on (env) (count_over_time({app=\"y\"}[1m]) > 5) | {env=\"prod\", pod=\"a\"}=3; {env=\"prod\", pod=\"b\"}=1",
      "count_over_time({app=\"x\"}[1m]) unless on (pod) (count_over_time({app=\"x\"}[1m]) > 2) | {env=\"prod\", pod=\"b\"}=1",
      "sum by (pod) (count_over_time({app=\"x\"}[1m])) or count_over_time({app=\"y\"}[1m]) | "
          + "{env=\"dev\"}=4; {env=\"prod\"}=10; {pod=\"a\"}=5; {pod=\"b\"}=1; {pod=\"c\"}=5",
      "sum by (env) (count_over_time({app=\"x\"}[1m])) or on (env) count_over_time({app=\"y\"}[1m]) | {env=\"dev\"}=7; {env=\"prod\"}=4",
      "label_replace(sum by (pod) (count_over_time({app=\"x\"}[1m])), \"p\", \"pod-$1\", \"pod\", \"(.*)\") | "
          + "{p=\"pod-a\", pod=\"a\"}=5; {p=\"pod-b\", pod=\"b\"}=1; {p=\"pod-c\", pod=\"c\"}=5",
      "label_replace(sum by (pod) (count_over_time({app=\"x\"}[1m])), \"pod\", \"\", \"pod\", \"a\") | {}=5; {pod=\"b\"}=1; {pod=\"c\"}=5",
      "label_replace(count_over_time({app=\"y\"}[1m]), \"x\", \"$1$$\", \"nope\", \"\") | {env=\"dev\", x=\"$\"}=4; {env=\"prod\", x=\"$\"}=10",
      "vector(3) + vector(4)                                          | {}=7",
      "-1 * sum(count_over_time({app=\"x\"}[1m])) % 7                 | {}=-4",
      "sum(count_over_time({app=\"nope\"}[1m])) or vector(0)          | {}=0",
      "absent_over_time({app=\"nope\", app=\"twice\", env=\"x\", pod=~\"p.*\"}[1m]) | {env=\"x\"}=1",
      "absent_over_time({app=\"x\"}[1m])                              | ",
  })
  void evaluatesAnInstantVector(String query, String expected) {
    Evaluator.Instant result = evaluator(5000).instant(parse(query));

    assertThat(result).isInstanceOf(Evaluator.VectorValue.class);
    String actual = ((Evaluator.VectorValue) result).samples().stream()
        .map(s -> s.labels() + "=" + number(s.value())).collect(Collectors.joining("; "));
    assertThat(actual).isEqualTo(expected == null ? "" : expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2 ^ 3 * 2 % 5        | 1",
      "2 ^ 3 ^ 2            | 512",
      "1 / 0                | NaN",
      "1 % 0                | NaN",
      "-1 / 0 < bool 0      | 0",
      "1 == bool 1          | 1",
      "7 - 2 - 1            | 4",
  })
  void evaluatesNumbersToAScalar(String query, String expected) {
    Evaluator.Instant result = evaluator(5000).instant(parse(query));

    assertThat(result).isInstanceOf(Evaluator.ScalarValue.class);
    assertThat(number(((Evaluator.ScalarValue) result).value())).isEqualTo(expected);
  }

  @Test
  void aSumOverAnAdditiveAggregationIsPushedDownToTheFetch() {
    evaluator(5000).instant(parse("sum by (env) (rate({app=\"x\"}[1m]))"));
    evaluator(5000).instant(parse("sum(bytes_over_time({app=\"x\"}[1m]))"));
    evaluator(5000).instant(parse("max by (env) (count_over_time({app=\"x\"}[1m]))"));
    evaluator(5000).instant(parse("sum by (env) (max_over_time({app=\"x\"} | unwrap n [1m]))"));

    assertThat(pushed).containsExactly(new Grouping(false, List.of("env")), new Grouping(false, List.of()), null, null);
  }

  @Test
  void oneToOneMatchingThatIsNotUniqueFails() {
    assertThatThrownBy(() -> evaluator(5000).instant(
        parse("count_over_time({app=\"x\"}[1m]) / on (env) count_over_time({app=\"y\"}[1m])")))
        .isInstanceOf(EvaluationException.class)
        .hasMessage("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
    assertThatThrownBy(() -> evaluator(5000).instant(
        parse("count_over_time({app=\"y\"}[1m]) / on (env) group_left count_over_time({app=\"x\"}[1m])")))
        .isInstanceOf(EvaluationException.class)
        .hasMessageStartingWith("found duplicate series for the match group {env=\"dev\"} on the right hand-side");
  }

  @Test
  void moreSeriesThanTheLimitFailWithLokisText() {
    assertThatThrownBy(() -> evaluator(3).instant(parse("count_over_time({app=\"x\"}[1m])")))
        .isInstanceOf(EvaluationException.class)
        .hasMessage("maximum of series (3) reached for a single query");
    assertThat(evaluator(3).instant(parse("sum by (env) (count_over_time({app=\"x\"}[1m]))")))
        .isInstanceOf(Evaluator.VectorValue.class);
  }

  @Test
  void aSeriesInErrorFailsTheQueryUnlessGroupedByError() {
    SampleFetcher withError = (expr, grouping, span) -> List.of(new SeriesSamples(
        Labels.of("__error__", "JSONParserErr", "app", "w"), new long[] {T - S}, new double[] {1}));
    SampleExpr plain = parse("sum(count_over_time({app=\"w\"} | json [1m]))");
    SampleExpr asked = parse("sum by (__error__) (count_over_time({app=\"w\"} | json [1m]))");

    assertThatThrownBy(() -> new Evaluator(StepGrid.instant(T), withError, 10).instant(plain))
        .isInstanceOf(EvaluationException.class)
        .hasMessageStartingWith("pipeline error: 'JSONParserErr' for series: '{__error__=\"JSONParserErr\", app=\"w\"}'.");
    assertThat(new Evaluator(StepGrid.instant(T), withError, 10).instant(asked)).isEqualTo(
        new Evaluator.VectorValue(List.of(new VectorSample(Labels.of("__error__", "JSONParserErr"), 1))));
  }

  @Test
  void aRangeQueryEvaluatesEveryStepWithLeftOpenWindowsAndOmitsEmptySteps() {
    // entries at 60 s, 120 s and 125 s; windows (t - 1m, t] at t = 60, 90, ..., 210
    SampleFetcher fetcher = (expr, grouping, span) -> {
      assertThat(span).isEqualTo(new SampleFetcher.Span(1, 210 * S + 1, 30 * S, 60 * S));
      return List.of(new SeriesSamples(Labels.of("a", "b"), new long[] {60 * S, 120 * S, 125 * S},
          new double[] {1, 1, 1}));
    };
    List<MetricSeries> m = new Evaluator(new StepGrid(60 * S, 210 * S, 30 * S), fetcher, 10)
        .range(parse("count_over_time({a=\"b\"}[1m])"));

    assertThat(m).singleElement().satisfies(s -> {
      assertThat(s.labels()).isEqualTo(Labels.of("a", "b"));
      assertThat(s.timestampsNanos()).containsExactly(60 * S, 90 * S, 120 * S, 150 * S, 180 * S);
      assertThat(s.values()).containsExactly(1, 1, 1, 2, 1);
    });
  }

  @Test
  void offsetMovesTheWindowBack() {
    SampleFetcher fetcher = (expr, grouping, span) -> {
      assertThat(span).isEqualTo(new SampleFetcher.Span(60 * S + 1, 120 * S + 1, 60 * S, 120 * S));
      return List.of(new SeriesSamples(Labels.of("a", "b"), new long[] {120 * S}, new double[] {1}));
    };
    Evaluator.Instant v = new Evaluator(StepGrid.instant(180 * S), fetcher, 10)
        .instant(parse("count_over_time({a=\"b\"}[1m] offset 1m)"));

    assertThat(v).isEqualTo(new Evaluator.VectorValue(List.of(new VectorSample(Labels.of("a", "b"), 1))));
  }

  @Test
  void aNumberOverARangeIsOneSeriesWithoutLabelsAtEveryStep() {
    List<MetricSeries> m = new Evaluator(new StepGrid(0, 2 * S, S), fetcher(), 10).range(parse("1 + 1"));

    assertThat(m).singleElement().satisfies(s -> {
      assertThat(s.labels()).isEqualTo(Labels.EMPTY);
      assertThat(s.timestampsNanos()).containsExactly(0, S, 2 * S);
      assertThat(s.values()).containsExactly(2, 2, 2);
    });
  }

  private Evaluator evaluator(int maxSeries) {
    return new Evaluator(StepGrid.instant(T), fetcher(), maxSeries);
  }

  /**
   * The canned data: each series' count as that many samples of 1 inside the window (T - 1m, T],
   * grouped as asked, sorted by labels (as {@link LokiMetricEngine} hands them over).
   */
  private SampleFetcher fetcher() {
    return (RangeAggregationExpr expr, Grouping grouping, SampleFetcher.Span span) -> {
      pushed.add(grouping);
      String app = expr.range().selector().matchers().get(0).value();
      Map<Labels, List<SeriesSamples>> grouped = new java.util.TreeMap<>();
      COUNTS.getOrDefault(app, Map.of()).forEach((labels, count) -> {
        long[] ts = new long[count];
        double[] vs = new double[count];
        for (int i = 0; i < count; i++) {
          ts[i] = T - (i + 1) * S;
          vs[i] = 1;
        }
        java.util.Arrays.sort(ts);
        Labels l = grouping == null ? labels : LabelSets.group(labels, grouping);
        grouped.computeIfAbsent(l, k -> new ArrayList<>()).add(new SeriesSamples(l, ts, vs));
      });
      List<SeriesSamples> out = new ArrayList<>();
      grouped.forEach((l, parts) -> out.add(SeriesSamples.merge(l, parts)));
      return out;
    };
  }

  private static SampleExpr parse(String q) {
    return (SampleExpr) LogQL.parse(q);
  }

  private static String number(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static Map<Labels, Integer> ordered(Object... pairs) {
    Map<Labels, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((Labels) pairs[i], (Integer) pairs[i + 1]);
    }
    return m;
  }
}
