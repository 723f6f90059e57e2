package io.fjord.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fjord.querier.QuerierConfig;
import io.fjord.store.config.StorageBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The docker/ deployment cannot run here (no Docker engine), so this checks what can be checked:
 * the compose file parses with the services and port docker/README.md promises (MinIO and its
 * bucket before the roles that use the store), and the config it mounts is a valid Fjord config for
 * every role, storing chunks in that bucket.
 */
class DockerFilesTest {
  private static final Path DOCKER = Path.of("..", "docker");

  @Test
  void composeDefinesTheDistributedSetup() throws Exception {
    JsonNode compose = new YAMLMapper().readTree(DOCKER.resolve("compose.yaml").toFile());
    List<String> services = new ArrayList<>();
    compose.get("services").fieldNames().forEachRemaining(services::add);
    assertThat(services).contains("kafka-1", "kafka-2", "kafka-3", "distributor-1", "distributor-2",
        "ingester-1", "ingester-2", "ingester-3", "querier-1", "querier-2", "compactor", "gateway", "grafana",
        "minio", "minio-init");
    assertThat(compose.at("/services/gateway/ports/0").asText()).isEqualTo("3100:3100");
    assertThat(compose.at("/services/ingester-1/command/0").asText()).isEqualTo("ingester");
    assertThat(compose.at("/services/querier-1/command/0").asText()).isEqualTo("querier");
    assertThat(compose.at("/services/distributor-1/command/0").asText()).isEqualTo("distributor");
    assertThat(compose.at("/services/compactor/command/0").asText()).isEqualTo("compactor");
    // the bucket the config names is created before any role that uses the store starts
    assertThat(compose.at("/services/minio-init/entrypoint/2").asText()).contains("mc mb").contains("local/fjord-chunks");
    for (String role : List.of("ingester-1", "ingester-2", "ingester-3", "querier-1", "querier-2", "compactor")) {
      assertThat(compose.at("/services/" + role + "/depends_on/minio-init/condition").asText())
          .as(role).isEqualTo("service_completed_successfully");
      assertThat(compose.at("/services/" + role + "/environment/S3_SECRET_KEY").asText()).as(role).isNotEmpty();
    }
  }

  @Test
  void theMountedConfigIsAValidFjordConfig() {
    FjordConfig c = new ConfigLoader(Map.of("HOSTNAME", "ingester-2")::get)
        .load(DOCKER.resolve("config/fjord.yaml"), Map.of());
    assertThat(c.kafka().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
    assertThat(c.kafka().replicationFactor()).isEqualTo((short) 3);
    assertThat(c.ingester().instanceId()).isEqualTo("ingester-2");
    assertThat(c.server().advertisedHost()).isEqualTo("ingester-2");
    assertThat(c.storage().backend()).isEqualTo(StorageBackend.S3);
    assertThat(c.storage().s3().bucketnames()).isEqualTo("fjord-chunks");
    assertThat(c.storage().s3().endpoint()).isEqualTo("http://minio:9000");
    assertThat(c.storage().s3().secretAccessKey()).isEqualTo("fjord-secret");
    assertThat(c.querier().queryIngestersWithin()).isEqualTo(QuerierConfig.defaults().queryIngestersWithin());
  }

  @Test
  void theImageBuildsWithTheSameMavenBuildAsCi() throws Exception {
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    String ci = Files.readString(Path.of("..", ".ci", "run"));
    assertThat(ci).contains("mvn -B verify");
    assertThat(dockerfile).contains("RUN mvn -B -DskipTests package");
    assertThat(dockerfile).contains("HEALTHCHECK").contains("/ready").contains("USER fjord");
  }
}
