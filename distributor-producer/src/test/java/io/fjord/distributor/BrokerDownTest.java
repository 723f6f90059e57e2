package io.fjord.distributor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.distributor.testing.PushServer;
import io.fjord.distributor.testing.PushServer.Answer;
import io.fjord.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Kafka gone a push is answered 503, never 204, within the produce timeout (the HTTP client's
 * own 60 s timeout bounds the test). Each test starts and kills its own broker.
 */
class BrokerDownTest {
  private static final DistributorConfig QUICK = new DistributorConfig(null, null, Duration.ofSeconds(2), null);

  @TempDir Path dir;
  private EmbeddedKafka kafka;

  @AfterEach
  void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static String push() {
    Instant t = Instant.now();
    return "{\"streams\":[{\"stream\":{\"app\":\"x\"},\"values\":[[\"" + (t.getEpochSecond() * 1_000_000_000L + t.getNano())
        + "\",\"line\"]]}]}";
  }

  @Test
  void aPushAfterTheBrokerWentDownIs503() {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0);
    try (PushServer server = new PushServer(kafka.bootstrapServers(), QUICK, LimitsConfig.defaults(), new TenantResolver(false, false))) {
      assertThat(server.pushJson(push()).status()).isEqualTo(204);

      kafka.close();
      kafka = null;
      Answer answer = server.pushJson(push());

      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.body()).startsWith("Kafka did not acknowledge the push");
    }
  }

  @Test
  void aPushToADistributorThatNeverReachedKafkaIs503() {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0);
    String bootstrap = kafka.bootstrapServers();
    String topic = "logs-never";
    PushServer.createTopic(bootstrap, topic);
    kafka.close();
    kafka = null;

    try (Distributor distributor = new Distributor(QUICK, LimitsConfig.defaults(), new TenantResolver(false, false),
        bootstrap, topic, java.time.Clock.systemUTC());
        io.fjord.common.http.HttpServer http = new io.fjord.common.http.HttpServer("127.0.0.1", 0, 1 << 20,
            java.util.List.of(distributor.routes()), () -> true).start()) {
      java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + http.port() + "/loki/api/v1/push"))
              .timeout(Duration.ofSeconds(60))
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(push())).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(answer.body()).contains("Kafka");
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
