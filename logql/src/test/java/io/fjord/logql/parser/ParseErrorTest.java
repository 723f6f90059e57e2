package io.fjord.logql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fjord.logql.LogQL;
import io.fjord.logql.LogQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invalid queries and the exact message Loki answers. Rows marked (conformance) are Loki v3.7.6's
 * recorded answers; the others follow from the same rules (goyacc's "unexpected X, expecting Y",
 * positions at the start of the offending token, the end of input one column past the last char).
 */
class ParseErrorTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      # conformance invalid-004
      {app="api"} | json | line_format => parse error at line 1, col 33: syntax error: unexpected $end, expecting STRING
      # conformance invalid-006
      sum(rate({app="api"}[5m]) by (env) => parse error at line 1, col 35: syntax error: unexpected $end
      # conformance invalid-008
      count_over_time({app="api"}[5x]) => parse error at line 0, col 28: unknown unit "x" in duration "5x"
      # conformance invalid-009
      {} => parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will
      # conformance invalid-010
      topk(rate({app="api"}[5m])) => parse error : parameter required for operation topk
      # conformance invalid-014
      quantile_over_time({app="api"} | logfmt | unwrap req_id [5m]) => parse error : parameter required for operation quantile_over_time
      {app=~".*"} => parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will
      {app!~"a.*"} => parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will
      {app=""} => parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will
      {app=foo} => parse error at line 1, col 6: syntax error: unexpected IDENTIFIER, expecting STRING
      {app = foo} => parse error at line 1, col 8: syntax error: unexpected IDENTIFIER, expecting STRING
      {app="a"} |= => parse error at line 1, col 13: syntax error: unexpected $end, expecting STRING or IP
      {app="a"} |= "x" or => parse error at line 1, col 20: syntax error: unexpected $end, expecting STRING or IP
      {app="unterminated} => parse error at line 1, col 6: literal not terminated
      {app="a\\q"} => parse error at line 1, col 6: invalid char escape
      """)
  void reportsLokisMessage(String query, String message) {
    LogQLException e = catchThrowableOfType(LogQLException.class, () -> LogQL.parse(query));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      {app="a"}\\n|= "x" |= => 2 => 10
      {app="a", b} => 1 => 12
      {app="a"} |= "x" { => 1 => 18
      """)
  void positionsPointAtTheOffendingToken(String query, int line, int column) {
    LogQLException e = catchThrowableOfType(LogQLException.class,
        () -> LogQL.parse(query.replace("\\n", "\n")));
    assertThat(e).isNotNull();
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.column()).isEqualTo(column);
    assertThat(e.reason()).startsWith("syntax error: unexpected ");
  }
}
