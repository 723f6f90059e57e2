package io.fjord.logql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.ast.LineFilterOp;
import io.fjord.logql.ast.LineFilterStage;
import io.fjord.logql.ast.LineFilterValue;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.MatchType;
import io.fjord.logql.ast.PipelineStage;
import io.fjord.logql.ast.Position;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Valid stream selectors and line filters, each with the AST (positions included) it must produce. */
class LogQueryParserTest {
  static Position p(int line, int col) {
    return new Position(line, col);
  }

  static LabelMatcher m(String name, MatchType t, String value, int col) {
    return new LabelMatcher(name, t, value, p(1, col));
  }

  static LogSelectorExpr sel(List<LabelMatcher> ms, PipelineStage... stages) {
    return new LogSelectorExpr(ms, List.of(stages), p(1, 1));
  }

  static LineFilterStage lf(LineFilterOp op, int col, LineFilterValue... values) {
    return new LineFilterStage(op, List.of(values), p(1, col));
  }

  static LineFilterValue s(String v, int col) {
    return new LineFilterValue(v, false, p(1, col));
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        arguments("{app=\"api\"}", sel(List.of(m("app", MatchType.EQ, "api", 2)))),
        arguments("{app=\"api\", env!=\"prod\"}",
            sel(List.of(m("app", MatchType.EQ, "api", 2), m("env", MatchType.NEQ, "prod", 13)))),
        arguments("{app=~\"api|i18n\",env!~`p.*`}",
            sel(List.of(m("app", MatchType.RE, "api|i18n", 2), m("env", MatchType.NRE, "p.*", 18)))),
        arguments("{ app = \"a\" }", sel(List.of(m("app", MatchType.EQ, "a", 3)))),
        // Go escapes in double quotes; backticks are raw
        arguments("{a=\"x\\\"y\\\\z\\n\\t\\u00e9\\x41\"}", sel(List.of(m("a", MatchType.EQ, "x\"y\\z\n\t\u00e9A", 2)))),
        arguments("{a=`x\\\"y`}", sel(List.of(m("a", MatchType.EQ, "x\\\"y", 2)))),
        arguments("{a=\"\\xc3\\xa9\"}", sel(List.of(m("a", MatchType.EQ, "\u00e9", 2)))),
        arguments("{a=\"b\"} |= \"x\"", sel(List.of(m("a", MatchType.EQ, "b", 2)),
            lf(LineFilterOp.CONTAINS, 9, s("x", 12)))),
        arguments("{a=\"b\"} != \"info\" != \"debug\"", sel(List.of(m("a", MatchType.EQ, "b", 2)),
            lf(LineFilterOp.NOT_CONTAINS, 9, s("info", 12)), lf(LineFilterOp.NOT_CONTAINS, 19, s("debug", 22)))),
        arguments("{a=\"b\"} |~ `5\\d\\d` !~ \"x\"", sel(List.of(m("a", MatchType.EQ, "b", 2)),
            lf(LineFilterOp.MATCH, 9, s("5\\d\\d", 12)), lf(LineFilterOp.NOT_MATCH, 20, s("x", 23)))),
        arguments("{a=\"b\"} |> \"<_> x\" !> \"y <_>\"", sel(List.of(m("a", MatchType.EQ, "b", 2)),
            lf(LineFilterOp.PATTERN, 9, s("<_> x", 12)), lf(LineFilterOp.NOT_PATTERN, 20, s("y <_>", 23)))),
        arguments("{a=\"b\"} |= \"FAILED\" or \"removed\" != \"exit\"", sel(List.of(m("a", MatchType.EQ, "b", 2)),
            lf(LineFilterOp.CONTAINS, 9, s("FAILED", 12), s("removed", 24)),
            lf(LineFilterOp.NOT_CONTAINS, 34, s("exit", 37)))),
        arguments("{a=\"b\"} != ip(\"10.0.0.0-10.2.255.255\")", sel(List.of(m("a", MatchType.EQ, "b", 2)),
            lf(LineFilterOp.NOT_CONTAINS, 9, new LineFilterValue("10.0.0.0-10.2.255.255", true, p(1, 12))))),
        // positions on a second line; a comment is skipped
        arguments("{a=\"b\"} # comment\n  |= \"x\"", sel(List.of(m("a", MatchType.EQ, "b", 2)),
            new LineFilterStage(LineFilterOp.CONTAINS, List.of(new LineFilterValue("x", false, p(2, 6))), p(2, 3)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parsesToTheExpectedTree(String query, LogSelectorExpr expected) {
    assertThat(LogQL.parse(query)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parseSelectorAcceptsTheSameLogQueries(String query, LogSelectorExpr expected) {
    assertThat(LogQL.parseSelector(query)).isEqualTo(expected);
  }
}
