package io.fjord.distributor.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelTextTest {
  @Test
  void readsLabelTextIntoPairsInPushedOrder() {
    PushedStream s = LabelText.read("{env=\"prod\", app=\"api\"}", List.of());
    assertThat(s.labels()).containsExactly(new LabelPair("env", "prod"), new LabelPair("app", "api"));
    assertThat(s.labelsText()).isEqualTo("{env=\"prod\", app=\"api\"}");
  }

  @Test
  void aRepeatedTextGivesTheSamePairsWithoutParsingAgain() {
    // built at run time so the two texts are different String objects with equal content
    String first = new String("{app=\"cached\", n=\"" + 1 + "\"}");
    String second = new String("{app=\"cached\", n=\"" + 1 + "\"}");
    PushedStream a = LabelText.read(first, List.of(new PushedEntry(1, "x")));
    PushedStream b = LabelText.read(second, List.of(new PushedEntry(2, "y")));
    assertThat(b.labels()).isSameAs(a.labels());
    assertThat(b.entries()).containsExactly(new PushedEntry(2, "y")); // entries are the push's own
  }

  @Test
  void aLongTextIsParsedEveryTimeRatherThanCached() {
    String text = "{app=\"" + "v".repeat(LabelText.MAX_CACHED_CHARS) + "\"}";
    PushedStream a = LabelText.read(text, List.of());
    PushedStream b = LabelText.read(text, List.of());
    assertThat(b.labels()).isEqualTo(a.labels()).isNotSameAs(a.labels());
  }

  @Test
  void unreadableTextStaysUnreadableWhenRepeated() {
    for (int i = 0; i < 2; i++) {
      PushedStream s = LabelText.read("{app=\"unterminated}", List.of(new PushedEntry(1, "x")));
      assertThat(s.labels()).isNull();
      assertThat(s.labelsError()).isNotBlank();
      assertThat(s.describe()).isEqualTo("{app=\"unterminated}");
    }
  }

  @Test
  void cachedPairsCannotBeChangedByAReader() {
    PushedStream s = LabelText.read("{app=\"immutable\"}", List.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.labels().add(new LabelPair("x", "y")))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
