package io.fjord.schemas.labels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"app", "_", "_private", "App_2", "a1", "__name__"})
  void acceptsPrometheusStyleNames(String name) {
    assertThat(LabelNames.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1app", "app-name", "app.name", "app name", "é", "a:b"})
  void refusesEverythingElse(String name) {
    assertThat(LabelNames.isValid(name)).isFalse();
  }
}
