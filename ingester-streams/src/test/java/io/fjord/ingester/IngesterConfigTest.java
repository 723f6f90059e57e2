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

  @Test
  void flushDefaultsAreLokisWhereLokiHasThem() {
    IngesterConfig c = IngesterConfig.defaults();

    assertThat(c.chunkEncoding()).isEqualTo("zstd");
    assertThat(c.codec()).isEqualTo(io.fjord.schemas.chunk.ChunkCodec.ZSTD);
    assertThat(c.concurrentFlushes()).isEqualTo(4);
    assertThat(c.flushOpBackoff().minPeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.flushOpBackoff().maxPeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.flushOpTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.chunkRetainPeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.maxUnflushedBytes()).isEqualTo(ByteSize.ofMiB(256));
    assertThat(c.replayCheckpointInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.chunkZstdLevel()).isEqualTo(3);
  }

  @Test
  void readsTheFlushKeys() throws Exception {
    IngesterConfig c = json.readValue("""
        {"chunk_encoding": "LZ4", "concurrent_flushes": 8, "flush_op_backoff": {"min_period": "1s"},
         "flush_op_timeout": "30s", "chunk_retain_period": "0s", "max_unflushed_bytes": "1GB",
         "replay_checkpoint_interval": "10s", "chunk_zstd_level": 9}
        """, IngesterConfig.class);

    assertThat(c.chunkZstdLevel()).isEqualTo(9);

    assertThat(c.codec()).isEqualTo(io.fjord.schemas.chunk.ChunkCodec.LZ4);
    assertThat(c.chunkEncoding()).isEqualTo("lz4");
    assertThat(c.concurrentFlushes()).isEqualTo(8);
    assertThat(c.flushOpBackoff().minPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.flushOpBackoff().maxPeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.flushOpTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.chunkRetainPeriod()).isZero();
    assertThat(c.maxUnflushedBytes().bytes()).isEqualTo(1L << 30);
    assertThat(c.replayCheckpointInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @ParameterizedTest
  @CsvSource({"chunk_encoding, '\"brotli\"'", "concurrent_flushes, 0", "flush_op_timeout, '\"0s\"'",
      "max_unflushed_bytes, '\"0\"'", "chunk_retain_period, '\"-1s\"'", "replay_checkpoint_interval, '\"0s\"'",
      "chunk_zstd_level, 0", "chunk_zstd_level, 23"})
  void refusesFlushValuesThatCannotWorkNamingTheKey(String key, String value) {
    assertThatThrownBy(() -> json.readValue("{\"" + key + "\": " + value + "}", IngesterConfig.class))
        .hasMessageContaining("ingester." + key);
  }
}
