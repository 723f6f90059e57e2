package io.fjord.distributor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.fjord.common.config.ByteSize;
import io.fjord.common.config.ConfigJackson;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DistributorConfigTest {
  private final ObjectMapper mapper = new ObjectMapper().registerModule(ConfigJackson.module());

  @Test
  void defaultsAreTheDocumentedOnes() {
    DistributorConfig c = DistributorConfig.defaults();
    assertThat(c.maxRequestBodySize()).isEqualTo(ByteSize.ofMiB(10));
    assertThat(c.maxDecompressedBodySize()).isEqualTo(ByteSize.ofMiB(100));
    assertThat(c.produceTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxRecordSize()).isEqualTo(ByteSize.ofKiB(1000));
    assertThat(c.kafkaCompression()).isEqualTo("lz4");
  }

  @Test
  void kafkaCompressionIsOneOfKafkasCodecs() throws Exception {
    assertThat(mapper.readValue("{\"kafka_compression\": \"none\"}", DistributorConfig.class).kafkaCompression())
        .isEqualTo("none");
    assertThatThrownBy(() -> mapper.readValue("{\"kafka_compression\": \"brotli\"}", DistributorConfig.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("distributor.kafka_compression must be one of none, gzip, snappy, lz4, zstd (got \"brotli\")");
  }

  @Test
  void readsLokiStyleValuesAndDefaultsTheRest() throws Exception {
    DistributorConfig c = mapper.readValue(
        "{\"max_request_body_size\": \"20MB\", \"produce_timeout\": \"2s500ms\"}", DistributorConfig.class);
    assertThat(c.maxRequestBodySize()).isEqualTo(ByteSize.ofMiB(20));
    assertThat(c.produceTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.maxDecompressedBodySize()).isEqualTo(ByteSize.ofMiB(100));
  }

  @Test
  void nonsenseIsRejectedNamingTheKey() {
    assertThatThrownBy(() -> mapper.readValue("{\"produce_timeout\": \"0s\"}", DistributorConfig.class))
        .isInstanceOf(ValueInstantiationException.class).hasMessageContaining("distributor.produce_timeout must be positive");
    assertThatThrownBy(() -> new DistributorConfig(null, null, null, ByteSize.ofKiB(1)))
        .hasMessageContaining("distributor.max_record_size");
    assertThatThrownBy(() -> new DistributorConfig(ByteSize.ofBytes(0), null, null, null))
        .hasMessageContaining("distributor.max_request_body_size");
  }
}
