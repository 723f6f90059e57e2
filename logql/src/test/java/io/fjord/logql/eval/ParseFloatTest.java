package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Label values read as numbers: plain digit strings take a fast path that must equal Java's parse. */
class ParseFloatTest {
  @Test
  void digitStringsReadAsTheirExactValue() {
    Random r = new Random(1);
    for (int k = 0; k < 20_000; k++) {
      int len = 1 + r.nextInt(18);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < len; i++) {
        b.append((char) ('0' + r.nextInt(10)));
      }
      String s = b.toString();
      assertThat(LabelFilters.parseFloat(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
  }

  @Test
  void otherFormsStillFollowGo() {
    assertThat(LabelFilters.parseFloat("503")).isEqualTo(503.0);
    assertThat(LabelFilters.parseFloat("-0")).isEqualTo(-0.0).matches(d -> 1 / d < 0, "negative zero");
    assertThat(LabelFilters.parseFloat("1_000")).isEqualTo(1000.0);
    assertThat(LabelFilters.parseFloat("2.5e3")).isEqualTo(2500.0);
    assertThatThrownBy(() -> LabelFilters.parseFloat("")).hasMessage("strconv.ParseFloat: parsing \"\": invalid syntax");
    assertThatThrownBy(() -> LabelFilters.parseFloat("12ms")).hasMessageContaining("invalid syntax");
  }
}
