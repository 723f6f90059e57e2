package io.fjord.schemas.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelsTest {
  @Test
  void sortsByNameAndPrintsLokisCanonicalForm() {
    Labels l = Labels.of("env", "prod", "app", "api");
    assertThat(l.toString()).isEqualTo("{app=\"api\", env=\"prod\"}");
    assertThat(l.names()).containsExactly("app", "env");
    assertThat(l.get("env")).isEqualTo("prod");
    assertThat(l.get("nope")).isNull();
  }

  @Test
  void quotesValuesLikeGo() {
    assertThat(Labels.of("a", "say \"hi\"\n\\").toString()).isEqualTo("{a=\"say \\\"hi\\\"\\n\\\\\"}");
  }

  @Test
  void equalityIgnoresTheOrderPairsWereGivenIn() {
    assertThat(Labels.of("a", "1", "b", "2")).isEqualTo(Labels.of("b", "2", "a", "1"))
        .hasSameHashCodeAs(Labels.of("b", "2", "a", "1"));
    assertThat(Labels.of("a", "1")).isNotEqualTo(Labels.of("a", "2"));
  }

  @Test
  void duplicateNamesAreRefused() {
    assertThatThrownBy(() -> Labels.of("a", "1", "a", "2")).hasMessageContaining("duplicate label name: a");
  }

  @Test
  void mergeLetsTheOtherSetWin() {
    assertThat(Labels.of("a", "1", "b", "2").merge(Labels.of("b", "3", "c", "4")))
        .isEqualTo(Labels.of("a", "1", "b", "3", "c", "4"));
  }

  @Test
  void fingerprintIsFnv1aOverNamesAndValuesEachTerminatedBy0xFF() {
    // expected values computed independently (FNV-1a 64 by hand in another language)
    assertThat(Fingerprint.hex(Fingerprint.of(Labels.of("a", "b")))).isEqualTo("d2b371819297f98a");
    assertThat(Fingerprint.hex(Fingerprint.of(Labels.EMPTY))).isEqualTo("cbf29ce484222325");
    assertThat(Fingerprint.hex(Fingerprint.of(Labels.of("env", "prod", "app", "api")))).isEqualTo("9aab66e9025ac61a");
  }

  @Test
  void fingerprintSeparatesNameFromValue() {
    assertThat(Fingerprint.of(Labels.of("a", "bc"))).isNotEqualTo(Fingerprint.of(Labels.of("ab", "c")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{app=\"api\", env=\"prod\"}        | app=api;env=prod",
      "{}                                 | ''",
      " { app = \"a\" } \t                | app=a",
      "{a=`raw \\n`}                      | a=raw \\n",
      "{a=\"tab\\there\"}                 | a=tab\there",
      "{a=\"\\u00e9\\x41\"}               | a=éA",
      "{b=\"2\",a=\"1\"}                  | b=2;a=1",
  })
  void parsesLabelText(String text, String expected) {
    List<String[]> pairs = LabelsParser.parsePairs(text);
    String joined = String.join(";", pairs.stream().map(p -> p[0] + "=" + p[1]).toList());
    assertThat(joined).isEqualTo(expected.replace("\\t", "\t"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "app=\"a\"          | expected '{'",
      "{app=\"a\"         | expected '}'",
      "{app=a}            | expected a quoted label value",
      "{app=\"a}          | unterminated string",
      "{=\"a\"}           | expected a label name",
      "{a=\"1\"} x        | unexpected text",
      "{a=\"\\q\"}        | unknown escape",
  })
  void reportsWhereLabelTextIsWrong(String text, String why) {
    assertThatThrownBy(() -> LabelsParser.parsePairs(text))
        .isInstanceOf(LabelsParser.LabelsSyntaxException.class).hasMessageContaining(why);
  }
}
