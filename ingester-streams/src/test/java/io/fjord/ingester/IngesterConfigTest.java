package io.fjord.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.ByteSize;
import io.fjord.common.config.ConfigJackson;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IngesterConfigTest {
  final ObjectMapper json = new ObjectMapper().registerModule(ConfigJackson.module());

  @Test
  void defaultsAreLokis() {
    IngesterConfig c = IngesterConfig.defaults();

    assertThat(c.chunkBlockSize()).isEqualTo(ByteSize.ofBytes(262_144));
    assertThat(c.chunkTargetSize()).isEqualTo(ByteSize.ofBytes(1_572_864));
    assertThat(c.chunkIdlePeriod()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.maxChunkAge()).isEqualTo(Duration.ofHours(2));
    assertThat(c.heartbeatPeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.applicationId()).isEqualTo("fjord-ingester");
    assertThat(c.instanceId()).isNotBlank();
  }

  @Test
  void readsLokiStyleValuesByTheirConfigNames() throws Exception {
    IngesterConfig c = json.readValue("""
        {"chunk_block_size": "128KB", "chunk_target_size": "2MB", "chunk_idle_period": "1h",
         "max_chunk_age": "90m", "heartbeat_period": "1s", "instance_id": "ingester-7",
         "application_id": "fjord-test", "stream_threads": 2}
        """, IngesterConfig.class);

    assertThat(c.chunkBlockSize().bytes()).isEqualTo(131_072);
    assertThat(c.chunkTargetSize().bytes()).isEqualTo(2_097_152);
    assertThat(c.chunkIdlePeriod()).isEqualTo(Duration.ofHours(1));
    assertThat(c.maxChunkAge()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.heartbeatPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.instanceId()).isEqualTo("ingester-7");
    assertThat(c.applicationId()).isEqualTo("fjord-test");
    assertThat(c.streamThreads()).isEqualTo(2);
    assertThat(c.flushCheckPeriod()).isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest
  @CsvSource({"chunk_block_size, '\"0\"'", "heartbeat_period, '\"0s\"'", "stream_threads, 0",
      "chunk_idle_period, '\"-1m\"'"})
  void refusesValuesThatCannotWorkNamingTheKey(String key, String value) {
    assertThatThrownBy(() -> json.readValue("{\"" + key + "\": " + value + "}", IngesterConfig.class))
        .hasMessageContaining("ingester." + key);
  }

  @ParameterizedTest
  @CsvSource({"ingester-1, ingester-1", "host.example.com, host.example.com", "my host/1, my_host_1"})
  void derivesAValidStaticGroupMemberId(String instance, String expected) {
    assertThat(IngesterConfig.defaults().withInstanceId(instance).groupInstanceId()).isEqualTo(expected);
  }
}
