package io.fjord.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogLevelsTest {
  /** A context of its own, so the test JVM's logging is left alone. */
  private final LoggerContext context = new LoggerContext();
  private final LogLevels levels = new LogLevels(context);

  @ParameterizedTest
  @ValueSource(strings = {"debug", "info", "warn", "error", "WARN", " error "})
  void lokisLevelNamesSetTheRootLevel(String name) {
    levels.set(name);

    assertThat(levels.current()).isEqualTo(name.trim().toLowerCase());
    assertThat(context.getLogger("io.fjord.x").isDebugEnabled()).isEqualTo(name.equals("debug"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "trace", "verbose", "all", "off"})
  void otherNamesAreRefusedAndChangeNothing(String name) {
    levels.set("warn");

    assertThatThrownBy(() -> levels.set(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid log level");
    assertThat(levels.current()).isEqualTo("warn");
  }
}
