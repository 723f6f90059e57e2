package io.fjord.logql.regex;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.regex.RegexLiterals.Analysis;
import io.fjord.logql.regex.RegexLiterals.Branch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The literals read from a regex, worked out by hand from each expression. */
class RegexLiteralsTest {
  private static Branch exact(String s) {
    return new Branch(s, true);
  }

  private static Branch needs(String s) {
    return new Branch(s, false);
  }

  @Test
  void aLiteralAlternationIsExact() {
    assertThat(RegexLiterals.analyse("needle|haystack"))
        .isEqualTo(new Analysis(List.of(exact("needle"), exact("haystack")), false));
    assertThat(RegexLiterals.analyse("needle").allExact()).isTrue();
  }

  @Test
  void anAlternativeWithAClassNeedsItsLongestLiteralRun() {
    assertThat(RegexLiterals.analyse("needle|upstream timeout [0-9]").branches())
        .containsExactly(exact("needle"), needs("upstream timeout "));
    assertThat(RegexLiterals.analyse("HTTP/1\\.1\" 5[0-9]{2}").branches()).containsExactly(needs("HTTP/1.1\" 5"));
    assertThat(RegexLiterals.analyse("^an error").branches()).containsExactly(needs("an error"));
    assertThat(RegexLiterals.analyse("a.b.longest.c").branches()).containsExactly(needs("longest"));
  }

  @Test
  void aQuantifierDropsTheCharacterItRepeats() {
    assertThat(RegexLiterals.analyse("errors?").branches()).containsExactly(needs("error"));
    assertThat(RegexLiterals.analyse("ab*cd").branches()).containsExactly(needs("cd"));
    assertThat(RegexLiterals.analyse("abc+?d").branches()).containsExactly(needs("ab"));
    assertThat(RegexLiterals.analyse("abc{2,3}de").branches()).containsExactly(needs("ab"));
    assertThat(RegexLiterals.analyse("(ab)+cd").branches()).containsExactly(needs("cd"));
    assertThat(RegexLiterals.analyse("x😀?").branches()).containsExactly(needs("x"));
  }

  @Test
  void groupsAndClassesAreOpaqueButAWholeGroupIsReadThrough() {
    assertThat(RegexLiterals.analyse("a(b|c)d").branches()).containsExactly(needs("a"));
    assertThat(RegexLiterals.analyse("(error|fatal)").branches()).containsExactly(exact("error"), exact("fatal"));
    assertThat(RegexLiterals.analyse("(?:(x|y))").branches()).containsExactly(exact("x"), exact("y"));
    assertThat(RegexLiterals.analyse("(a)(b)").branches()).containsExactly(needs(""));
    assertThat(RegexLiterals.analyse("[|]x|y").branches()).containsExactly(needs("x"), exact("y"));
  }

  @Test
  void aLeadingCaseInsensitiveFlagIsKept() {
    Analysis a = RegexLiterals.analyse("(?i)(error|fatal)");
    assertThat(a.caseInsensitive()).isTrue();
    assertThat(a.branches()).containsExactly(exact("error"), exact("fatal"));
  }

  @Test
  void escapesOfPunctuationAreLiterals() {
    assertThat(RegexLiterals.analyse("a\\.b\\|c").branches()).containsExactly(exact("a.b|c"));
    assertThat(RegexLiterals.analyse("a\\db").branches()).containsExactly(needs("a"));
    assertThat(RegexLiterals.analyse("").branches()).containsExactly(exact(""));
    assertThat(RegexLiterals.analyse("a|").branches()).containsExactly(exact("a"), exact(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a(?s)b", "(?s)a.b", "\\Qa.b\\E", "\\x41bc", "\\pLx", "(a)\\1", "a(?i)b", "abc)"})
  void whatItDoesNotReadGivesNoAnalysis(String re) {
    assertThat(RegexLiterals.analyse(re)).isNull();
  }
}
