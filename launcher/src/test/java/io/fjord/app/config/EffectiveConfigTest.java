package io.fjord.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EffectiveConfigTest {
  @ParameterizedTest
  @CsvSource({
      "secret_access_key, true",
      "access_key_id,     true",
      "password,          true",
      "bearer_token,      true",
      "client_secret,     true",
      "SECRET,            true",
      "http_listen_port,  false",
      "bucket_name,       false",
      "endpoint,          false",
  })
  void secretKeysAreRecognisedByName(String key, boolean secret) {
    assertThat(EffectiveConfig.isSecret(key)).isEqualTo(secret);
  }

  @Test
  void secretsAreMaskedAtAnyDepthAndEmptyOnesShownEmpty() throws Exception {
    ObjectNode tree = (ObjectNode) new ObjectMapper().readTree("""
        {"storage_config": {"aws": {"endpoint": "http://minio:9000", "access_key_id": "AKIA123",
          "secret_access_key": "s3cr3t", "session_token": ""}},
         "clients": [{"password": "hunter2", "user": "bob"}]}""");

    String yaml = EffectiveConfig.yaml(tree);

    assertThat(yaml).doesNotContain("AKIA123").doesNotContain("s3cr3t").doesNotContain("hunter2");
    JsonNode back = new YAMLMapper().readTree(yaml);
    assertThat(back.at("/storage_config/aws/access_key_id").asText()).isEqualTo("********");
    assertThat(back.at("/storage_config/aws/secret_access_key").asText()).isEqualTo("********");
    assertThat(back.at("/storage_config/aws/session_token").asText()).isEmpty();
    assertThat(back.at("/storage_config/aws/endpoint").asText()).isEqualTo("http://minio:9000");
    assertThat(back.at("/clients/0/password").asText()).isEqualTo("********");
    assertThat(back.at("/clients/0/user").asText()).isEqualTo("bob");
  }

  @Test
  void theYamlLoadsBackAsTheSameConfig(@TempDir Path dir) throws Exception {
    ConfigLoader loader = new ConfigLoader(name -> null);
    FjordConfig config = loader.load(null, Map.of("server.http_listen_port", "3201",
        "limits_config.ingestion_rate_mb", "7", "ingester.chunk_idle_period", "45m",
        "distributor.max_record_size", "2MB"));

    Path file = Files.writeString(dir.resolve("c.yaml"), EffectiveConfig.yaml(config));

    assertThat(loader.load(file, Map.of())).isEqualTo(config);
  }
}
