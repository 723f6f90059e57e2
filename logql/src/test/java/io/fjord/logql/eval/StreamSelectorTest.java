package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.parser.Parser;
import io.fjord.schemas.labels.Labels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stream selector semantics: anchored RE2 regexes, a missing label matching as "". */
class StreamSelectorTest {
  private static final Labels API = Labels.of("app", "api", "env", "prod", "pod", "api-7f9c-a");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      {app="api"} => true
      {app="API"} => false
      {app="api", env="prod"} => true
      {app="api", env="dev"} => false
      {app!="web"} => true
      {app=~"api|i18n"} => true
      {app=~"ap"} => false
      {app=~"a.*"} => true
      {app=~"pi"} => false
      {app=~"(?i)API"} => true
      {app=~"API"} => false
      {app!~"web.*"} => true
      {app!~"a.+"} => false
      {app="api", missing=""} => true
      {app="api", missing!=""} => false
      {app="api", missing=~".*"} => true
      {app="api", missing=~".+"} => false
      {app="api", missing!~".+"} => true
      {pod=~"api-[[:alnum:]]+-a"} => true
      {pod=~`api-\\w+-[ab]`} => true
      {pod=~"api-.*-b"} => false
      {app=~"api$"} => true
      """)
  void matches(String selector, boolean expected) {
    // parsed without validation: some rows are empty-compatible alone, which LogQL.parse refuses
    StreamSelector s = StreamSelector.of(Parser.parseLogSelector(selector).matchers());
    assertThat(s.matches(API)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      {v=~".*"} => false
      {v=~"(?s).*"} => true
      {v=~`[\\S\\s]*`} => true
      """)
  void dotDoesNotMatchNewlineInAnchoredRegexes(String selector, boolean expected) {
    // these selectors are refused by validation on their own (empty-compatible): parse only
    StreamSelector s = StreamSelector.of(Parser.parseLogSelector(selector).matchers());
    assertThat(s.matches(Labels.of("v", "a\nb"))).isEqualTo(expected);
  }
}
