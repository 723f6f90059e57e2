package io.fjord.logql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.eval.LogLine;
import io.fjord.logql.eval.LogPipeline;
import io.fjord.schemas.labels.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Queries written to hurt the server get an answer, not an OutOfMemoryError or a StackOverflowError. */
class HostileQueryTest {
  @Test
  void aQueryNestedThousandsDeepIsAParseError() {
    String deep = "sum(".repeat(20_000) + "count_over_time({app=\"a\"}[1m])" + ")".repeat(20_000);
    assertThatThrownBy(() -> LogQL.parse(deep)).isInstanceOf(LogQLException.class)
        .hasMessage("parse error : query is nested too deeply");
    String parens = "(".repeat(50_000) + "vector(1)" + ")".repeat(50_000);
    assertThatThrownBy(() -> LogQL.parse(parens)).isInstanceOf(LogQLException.class);
  }

  @Test
  void modestNestingStillParses() {
    assertThat(LogQL.parse("sum(".repeat(50) + "count_over_time({app=\"a\"}[1m])" + ")".repeat(50))).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{{ printf \"%0999999999d\" 1 }}",
      "{{ printf \"%.999999999f\" 1.5 }}",
      "{{ repeat 1000000000 \"ab\" }}",
      "{{ alignLeft 2000000000 \"x\" }}",
      "{{ indent 2000000000 \"x\" }}",
  })
  void templatesThatWouldAllocateGigabytesFailTheEntryInstead(String template) {
    LogSelectorExpr q = LogQL.parseSelector("{app=\"a\"} | line_format `" + template + "`");
    LogLine out = LogPipeline.of(q).forStream(Labels.of("app", "a")).process(1, "line", Labels.EMPTY);
    assertThat(out).isNotNull();
    assertThat(out.labels().get("__error__")).isEqualTo("TemplateFormatErr");
    assertThat(out.line()).isEqualTo("line");
  }

  @Test
  void widthsUnderTheLimitStillWork() {
    LogSelectorExpr q = LogQL.parseSelector("{app=\"a\"} | line_format `{{ printf \"%05d\" 42 }}{{ repeat 3 \"ab\" }}`");
    LogLine out = LogPipeline.of(q).forStream(Labels.of("app", "a")).process(1, "line", Labels.EMPTY);
    assertThat(out.line()).isEqualTo("00042ababab");
  }
}
