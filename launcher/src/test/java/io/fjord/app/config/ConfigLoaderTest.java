package io.fjord.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.config.ByteSize;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of("PORT", "3200", "EMPTY", "")::get);

  @Test
  void anEmptyFileMeansEveryDefault() {
    FjordConfig c = loader.parse("f.yaml", "", Map.of());
    assertThat(c).isEqualTo(FjordConfig.defaults());
    assertThat(c.server().httpListenPort()).isEqualTo(3100);
    assertThat(c.server().httpListenAddress()).isEqualTo("127.0.0.1");
    assertThat(c.kafka().partitions()).isEqualTo(8);
    assertThat(c.limits().maxLineSize()).isEqualTo(ByteSize.ofKiB(256));
    assertThat(c.authEnabled()).isFalse();
  }

  @Test
  void readsLokiStyleKeysDurationsAndSizes() {
    FjordConfig c = loader.parse("f.yaml", """
        auth_enabled: true
        server:
          http_listen_port: 3101
        limits_config:
          max_line_size: 1MB
          reject_old_samples_max_age: 2w
          ingestion_rate_mb: 8
        ingester:
          chunk_idle_period: 1h30m
        """, Map.of());
    assertThat(c.authEnabled()).isTrue();
    assertThat(c.server().httpListenPort()).isEqualTo(3101);
    assertThat(c.limits().maxLineSize().bytes()).isEqualTo(1 << 20);
    assertThat(c.limits().rejectOldSamplesMaxAge()).isEqualTo(Duration.ofDays(14));
    assertThat(c.limits().ingestionRateMb()).isEqualTo(8.0);
    assertThat(c.ingester().chunkIdlePeriod()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.limits().maxLabelNamesPerSeries()).as("untouched keys keep defaults").isEqualTo(15);
  }

  @Test
  void environmentVariablesAreExpandedWithDefaults() {
    FjordConfig c = loader.parse("f.yaml", """
        server:
          http_listen_port: ${PORT}
          http_listen_address: ${HOST:-0.0.0.0}
        """, Map.of());
    assertThat(c.server().httpListenPort()).isEqualTo(3200);
    assertThat(c.server().httpListenAddress()).isEqualTo("0.0.0.0");
    assertThatThrownBy(() -> loader.parse("f.yaml", "common:\n  path_prefix: ${NOPE}\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("NOPE is not set");
  }

  @Test
  void commandLineOverridesWinOverTheFile() {
    FjordConfig c = loader.parse("f.yaml", "server:\n  http_listen_port: 3101\n",
        Map.of("server.http-listen-port", "3300", "limits_config.reject_old_samples", "false"));
    assertThat(c.server().httpListenPort()).isEqualTo(3300);
    assertThat(c.limits().rejectOldSamples()).isFalse();
  }

  @Test
  void anUnknownKeyNamesFileLineAndTheNearestKey() {
    assertThatThrownBy(() -> loader.parse("fjord.yaml", """
        server:
          http_listen_port: 3100
          http_listen_prot: 3101
        """, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fjord.yaml:3")
        .hasMessageContaining("unknown key 'http_listen_prot'")
        .hasMessageContaining("in section 'server'")
        .hasMessageContaining("did you mean 'http_listen_port'?");
  }

  @Test
  void anUnknownSectionIsNamed() {
    assertThatThrownBy(() -> loader.parse("fjord.yaml", "limits:\n  max_line_size: 1KB\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'limits'").hasMessageContaining("did you mean 'limits_config'?");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "limits_config:\\n  max_line_size: lots\\n          | limits_config.max_line_size",
      "ingester:\\n  max_chunk_age: 2 hours\\n           | ingester.max_chunk_age",
      "server:\\n  http_listen_port: 70000\\n          | server.http_listen_port",
      "kafka:\\n  partitions: 0\\n                     | kafka.partitions",
      "distributor:\\n  produce_timeout: 0s\\n         | distributor.produce_timeout",
  })
  void invalidValuesNameTheKey(String yaml, String key) {
    assertThatThrownBy(() -> loader.parse("f.yaml", yaml.replace("\\n", "\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining(key);
  }

  @Test
  void aConfigThatIsNotAMappingIsRefused() {
    assertThatThrownBy(() -> loader.parse("f.yaml", "- a\n- b\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("mapping");
  }
}
