package io.fjord.logql.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Template behaviour; expected outputs are the examples of Loki's template function documentation. */
class TemplateTest {
  private static final Map<String, String> LABELS = Map.of("path", "/a b/c", "cluster", "prod-cluster",
      "method", "GET", "duration", "3000");

  private static String render(String template) {
    return Template.parse("line", template).render(new Template.Context() {
      @Override
      public String label(String name) {
        return LABELS.get(name);
      }

      @Override
      public String line() {
        return "hello world";
      }

      @Override
      public long timestampNanos() {
        return 1_795_136_400_123_000_000L;
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', ignoreLeadingAndTrailingWhitespace = false,
      textBlock = """
      {{ alignLeft 5 "hello world"}} => hello
      {{ alignLeft 5 "hi"}} => 'hi   '
      {{ alignRight 5 "hello world"}} => world
      {{ alignRight 5 "hi"}} => '   hi'
      {{ default "-" "" }} => -
      {{ default "-" "foo" }} => foo
      {{ lower  "HELLO"}} => hello
      {{ upper  "hello"}} => HELLO
      {{ repeat 3 "hello" }} => hellohellohello
      {{ replace "hello" "world" "hello world" }} => world world
      {{ substr 0 5 "hello world"}} => hello
      {{ substr 6 11 "hello world"}} => world
      {{ title "hello world"}} => Hello World
      {{ trim "   hello    " }} => hello
      {{ trimAll "$" "$5.00" }} => 5.00
      {{ trimPrefix "-" "-hello" }} => hello
      {{ trimSuffix "-" "hello-" }} => hello
      {{ trunc 5 "hello world"}} => hello
      {{ trunc -5 "hello world"}} => world
      {{ if contains "he" "hello" }}yes{{end}} => yes
      {{ if and (contains "he" "hello") (contains "llo" "hello") }}yes{{end}} => yes
      {{ if eq "hello" "hello" }}yes{{else}}no{{end}} => yes
      {{ if hasPrefix "x" "hello" }}yes{{else if hasPrefix "he" "hello"}}he{{else}}no{{end}} => he
      {{ add 3 2 5 }} => 10
      {{ addf 3.5 2 5 }} => 10.5
      {{ div 10 2}} => 5
      {{ divf 10 2 4}} => 1.25
      {{ max 1 2 3 }} => 3
      {{ minf 1 2.5 3 }} => 1
      {{ mul 5 2 3}} => 30
      {{ mulf 5.5 2 2.5 }} => 27.5
      {{ mod 10 3}} => 1
      {{ round 123.555555 3 }} => 123.556
      {{ sub 5 2 }} => 3
      {{ subf  5.5 2 1.5 }} => 2
      {{ "3.5" | float64 }} => 3.5
      {{ "3" | int }} => 3
      {{ count "a|b" "abab" }} => 4
      {{ count "o" "foo" }} => 2
      {{ regexReplaceAll "(a*)bc" "aabc" "${1}a" }} => aaa
      {{ regexReplaceAllLiteral "(ts=)" "ts=1" "timestamp=" }} => timestamp=1
      {{ .cluster | replace "-cluster" "" }} => prod
      {{ .path | replace " " "_" | trunc 5 | upper }} => /A_B/
      {{ .method | lower }} {{ div .duration 1000 }} => get 3
      {{ .missing }}| => |
      {{ __line__ | title }} => Hello World
      {{ __timestamp__ | date "15:04:05" }} => 01:00:00
      {{ date "2006-01-02T15:04:05.000Z07:00" __timestamp__ }} => 2026-11-20T01:00:00.123Z
      {{ __timestamp__ | unixEpoch }} => 1795136400
      {{ printf "%-5.5s|%d" "abcdefg" 42 }} => abcde|42
      {{- " a " -}}  b => ' a b'
      """)
  void rendersTheDocumentedExamples(String template, String expected) {
    assertThat(render(template)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      {{ quote .x }}         => template: line:1: function "quote" not defined
      {{ .x                  => template: line:1: unclosed action
      {{ if .x }}yes         => template: line:1: unexpected EOF
      """)
  void rejectsAtParseTime(String template, String message) {
    assertThatThrownBy(() -> Template.parse("line", template)).isInstanceOf(TemplateException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", textBlock = """
      héllo => 2 => h\uFFFD
      héllo => 3 => hé
      """)
  void truncCountsBytesAndSplitsCharacters(String value, int n, String expected) {
    assertThat(Functions.trunc(n, value)).isEqualTo(expected);
  }
}
