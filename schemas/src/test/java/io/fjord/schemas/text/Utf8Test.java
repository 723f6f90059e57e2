package io.fjord.schemas.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

  @ParameterizedTest
  @ValueSource(strings = {"", "ascii", "héllo", "日本語", "🎉 emoji", "mixed ✓ é 🎉 z", "\uD800 lone", "end \uDC00"})
  void countsLikeTheJdkEncoder(String s) {
    assertThat(Utf8.length(s)).isEqualTo((long) s.getBytes(StandardCharsets.UTF_8).length);
  }
}
