package io.fjord.logql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.logql.LogQL;
import io.fjord.logql.LogQLException;
import io.fjord.logql.ast.BinaryOp;
import io.fjord.logql.ast.BinaryOpExpr;
import io.fjord.logql.ast.Expr;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.LabelReplaceExpr;
import io.fjord.logql.ast.LiteralExpr;
import io.fjord.logql.ast.Position;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.ast.RangeOp;
import io.fjord.logql.ast.UnwrapConversion;
import io.fjord.logql.ast.VectorAggregationExpr;
import io.fjord.logql.ast.VectorExpr;
import io.fjord.logql.ast.VectorMatching;
import io.fjord.logql.ast.VectorOp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Metric queries: Loki's precedence, aggregations, unwrap, offset, vector matching, and their errors. */
class MetricParserTest {
  /** Every metric query of the conformance kit that Loki 3.7.6 answered with 200. */
  @ParameterizedTest
  @ValueSource(strings = {
      "count_over_time({app=\"cron\"}[10m])",
      "sum(count_over_time({app=\"cron\"}[1h]))",
      "count_over_time({app=\"api\"}[5m]) > bool 30",
      "sum by (app) (count_over_time({app=~\".+\"}[5m])) and sum by (app) (count_over_time({app=~\"api|web\"}[5m]))",
      "sum by (app) (count_over_time({app=~\".+\"}[5m])) unless sum by (app) (count_over_time({app=\"api\"}[5m]))",
      "sum(count_over_time({app=\"cron\"}[5m])) == bool 4",
      "-1 * sum(count_over_time({app=\"api\"}[5m])) % 7",
      "sum(count_over_time({app=\"cron\"}[5m])) / 0",
      "2 ^ 3 * 2 % 5",
      "(sum(count_over_time({app=\"api\"}[5m])) > bool 900) + (sum(count_over_time({app=\"web\"}[5m])) < bool 400)",
      "-1 / 0 < bool 0",
      "count_over_time({app=\"edge\"} |= \"boundary\" [5m])",
      "bytes_over_time({app=\"edge\"}[2h])",
      "label_replace(sum(count_over_time({app=\"cron\"}[5m])), \"x\", \"y\", \"nope\", \"\")",
      "sum(count_over_time({app=\"nope\"}[5m])) or vector(0)",
      "sum by (pod) (count_over_time({app=\"api\"}[1h] offset 30m))",
      "absent_over_time({app=\"nope\", env=\"x\"}[1h])",
      "sort(label_replace(count_over_time({app=\"cron\"}[90m]), \"app\", \"renamed\", \"\", \"\"))",
      "bytes_rate({app=\"i18n\"}[5m])",
      "sum by (level) (count_over_time({app=\"worker\"} | json | __error__=\"\" [10m]))",
      "sum by (__error__) (count_over_time({app=\"worker\"} | json | __error__!=\"\" [30m]))",
      "rate({app=\"web\"}[30s])",
      "min_over_time({app=\"api\"} | logfmt | unwrap bytes(bytes) | __error__=\"\" [10m]) by (env)",
      "quantile_over_time(0.95, {app=\"worker\"} | json | __error__=\"\" | unwrap latency_ms [15m]) by (env)",
      "first_over_time({app=\"gateway\"} | logfmt | unwrap requests_total [10m]) by (pod)",
      "sum by (level) (sum_over_time({app=\"api\"} | logfmt | unwrap duration_seconds(duration) | __error__=\"\" [10m]))",
      "max_over_time({app=\"api\"} | logfmt | unwrap duration [10m])",
      "sum by (job_kind) (sum_over_time({app=\"worker\"} | json | unwrap job_attempt | __error__=\"\" [30m])) > 500",
      "sum by (env) (rate({app=~\".+\"}[5m]))",
      "avg by (cluster) (count_over_time({app=\"api\"}[10m]))",
      "stdvar by (env) (count_over_time({app=\"api\"}[10m]))",
      "topk(3, sum by (pod) (count_over_time({app=~\".+\", pod!=\"\"}[10m])))",
      "sort_desc(sum by (app) (count_over_time({app=~\".+\"}[1h])))",
      "count_over_time({app=\"a\"}[5m] |= \"x\")",
      "rate_counter({app=\"a\"} | logfmt | unwrap n [1d])"})
  void acceptsWhatLokiAccepts(String query) {
    assertThat(LogQL.parse(query)).isNotNull();
  }

  private static Position p(int col) {
    return new Position(1, col);
  }

  @Test
  void powerBindsTighterThanMultiplicationWhichIsLeftAssociative() {
    // (2 ^ 3) * 2 % 5 == ((2 ^ 3) * 2) % 5
    Expr e = LogQL.parse("2 ^ 3 * 2 % 5");
    BinaryOpExpr pow = new BinaryOpExpr(BinaryOp.POW, new LiteralExpr(2, p(1)), new LiteralExpr(3, p(5)), false,
        Optional.empty(), p(1));
    BinaryOpExpr mul = new BinaryOpExpr(BinaryOp.MUL, pow, new LiteralExpr(2, p(9)), false, Optional.empty(), p(1));
    assertThat(e).isEqualTo(new BinaryOpExpr(BinaryOp.MOD, mul, new LiteralExpr(5, p(13)), false, Optional.empty(),
        p(1)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", textBlock = """
      1 + 2 * 3                => ADD
      1 * 2 + 3                => ADD
      2 ^ 3 ^ 2                => POW
      1 + 2 > bool 3 - 1       => GT
      vector(1) or vector(2) and vector(3)       => OR
      vector(1) and vector(2) unless vector(3)   => UNLESS
      """)
  void topOperatorFollowsPrecedence(String query, BinaryOp top) {
    assertThat(((BinaryOpExpr) LogQL.parse(query)).op()).isEqualTo(top);
  }

  @Test
  void powerIsRightAssociative() {
    BinaryOpExpr e = (BinaryOpExpr) LogQL.parse("2 ^ 3 ^ 2");
    assertThat(e.lhs()).isEqualTo(new LiteralExpr(2, p(1)));
    assertThat(e.rhs()).isInstanceOf(BinaryOpExpr.class);
  }

  @Test
  void aVectorAggregationWithGroupingAndAnOffsetRange() {
    VectorAggregationExpr e = (VectorAggregationExpr) LogQL.parse(
        "sum by (pod) (count_over_time({app=\"api\"}[1h] offset 30m))");
    assertThat(e.op()).isEqualTo(VectorOp.SUM);
    assertThat(e.grouping()).contains(new Grouping(false, List.of("pod")));
    RangeAggregationExpr r = (RangeAggregationExpr) e.inner();
    assertThat(r.op()).isEqualTo(RangeOp.COUNT_OVER_TIME);
    assertThat(r.range().range()).isEqualTo(Duration.ofHours(1));
    assertThat(r.range().offset()).isEqualTo(Duration.ofMinutes(30));
    assertThat(r.position()).isEqualTo(p(15));
    assertThat(r.range().selector().position()).isEqualTo(p(31));
  }

  @Test
  void groupingMayFollowTheAggregation() {
    VectorAggregationExpr e = (VectorAggregationExpr) LogQL.parse("sum(rate({a=\"b\"}[5m])) without (x, y)");
    assertThat(e.grouping()).contains(new Grouping(true, List.of("x", "y")));
  }

  @Test
  void quantileWithUnwrapPostFiltersAndGrouping() {
    RangeAggregationExpr r = (RangeAggregationExpr) LogQL.parse(
        "quantile_over_time(0.95, {app=\"worker\"} | json | __error__=\"\" | unwrap duration(latency) | __error__=\"\" [15m]) by (env)");
    assertThat(r.parameter()).contains(0.95);
    assertThat(r.grouping()).contains(new Grouping(false, List.of("env")));
    assertThat(r.range().selector().pipeline()).hasSize(2);
    assertThat(r.range().unwrap()).hasValueSatisfying(u -> {
      assertThat(u.label()).isEqualTo("latency");
      assertThat(u.conversion()).isEqualTo(UnwrapConversion.DURATION);
      assertThat(u.postFilters()).hasSize(1);
    });
    assertThat(r.range().range()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void topkParameterAndSetOperatorsAndVectorMatching() {
    VectorAggregationExpr top = (VectorAggregationExpr) LogQL.parse("topk(3, rate({a=\"b\"}[5m]))");
    assertThat(top.parameter()).contains(3);
    BinaryOpExpr b = (BinaryOpExpr) LogQL.parse(
        "rate({a=\"b\"}[5m]) / on (pod) group_left (node) rate({a=\"c\"}[5m])");
    assertThat(b.matching()).contains(new VectorMatching(true, List.of("pod"),
        VectorMatching.Cardinality.MANY_TO_ONE, List.of("node")));
    BinaryOpExpr cmp = (BinaryOpExpr) LogQL.parse("count_over_time({app=\"api\"}[5m]) > bool 30");
    assertThat(cmp.returnBool()).isTrue();
    assertThat(cmp.rhs()).isEqualTo(new LiteralExpr(30, p(41)));
  }

  @Test
  void labelReplaceAndVector() {
    LabelReplaceExpr l = (LabelReplaceExpr) LogQL.parse(
        "label_replace(vector(1), \"dst\", \"$1\", \"src\", \"(.*)\")");
    assertThat(l.inner()).isEqualTo(new VectorExpr(1, p(15)));
    assertThat(List.of(l.destination(), l.replacement(), l.source(), l.regex()))
        .containsExactly("dst", "$1", "src", "(.*)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      sum_over_time({a="b"}[5m])                           => parse error : invalid aggregation sum_over_time without unwrap
      count_over_time({a="b"} | unwrap x [5m])             => parse error : invalid aggregation count_over_time with unwrap
      count_over_time({a="b"}[5m]) by (x)                  => parse error : grouping not allowed for count_over_time aggregation
      topk(0, rate({a="b"}[5m]))                           => parse error : invalid parameter (must be greater than 0) topk(0
      1 > 2                                                => parse error : comparison operators between scalars must use BOOL modifier
      rate({a="b"}[5m]) + bool rate({a="b"}[5m])           => parse error : bool modifier can only be used on comparison operators
      {app="api"} | line_format "{{ quote .x }}"           => parse error : stage '| line_format "{{ quote .x }}"' : invalid line template: template: line:1: function "quote" not defined
      {app="api"} | regexp "(\\\\w+)"                      => parse error : stage '| regexp "(\\\\w+)"' : at least one named capture must be supplied
      """)
  void rejectsWithLokisMessage(String query, String message) {
    assertThatThrownBy(() -> LogQL.parse(query)).isInstanceOf(LogQLException.class).hasMessage(message);
  }
}
