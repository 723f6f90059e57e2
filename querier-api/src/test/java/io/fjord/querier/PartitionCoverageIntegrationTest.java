package io.fjord.querier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.HttpServer;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.kafka.embedded.EmbeddedKafka;
import io.fjord.schemas.ingester.IngesterMember;
import io.fjord.schemas.ingester.IngesterProtocol;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The querier reads the logs topic's partition count from a real broker and judges the ingesters'
 * answers by it: a dead ingester still announced is ignored while the live ones cover every
 * partition, and a partition nobody covers fails the query with 503 naming it once
 * querier.partition_wait has passed.
 */
class PartitionCoverageIntegrationTest {
  private static final long T0 = 1795132800L; // 2026-11-20T00:00:00Z
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-20T01:00:00Z"), ZoneOffset.UTC);
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aDeadIngesterIsIgnoredWhileTheOthersCoverEveryPartitionAndAnUncoveredOneIsA503(@TempDir Path dir)
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, 0);
        FakeIngester a = new FakeIngester("ingester-a");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("logs", 3, (short) 1),
            new NewTopic("logs.ingesters", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
      }
      a.answerQueries(new IngesterProtocol.QueryResponse(1, List.of(new IngesterProtocol.StreamResult("fake",
          Map.of("app", "api"), List.of(new IngesterProtocol.Entry((T0 + 100) * 1_000_000_000L, "a1")))), 0L, 0L,
          List.of(0, 1, 2)));
      int closedPort;
      try (ServerSocket s = new ServerSocket(0)) {
        closedPort = s.getLocalPort();
      }
      // killed with SIGKILL: still announced, its port refuses connections
      IngesterMember dead = new IngesterMember(1, "ingester-dead", "http://127.0.0.1:" + closedPort, List.of(2),
          true, clock.millis());
      for (IngesterMember m : List.of(a.member(clock.instant(), 0, 1), dead)) {
        producer.send(new ProducerRecord<>("logs.ingesters", m.instance().getBytes(StandardCharsets.UTF_8),
            m.encode())).get();
      }
      try (Querier querier = new Querier(new QuerierConfig(null, null, null, Duration.ofMillis(500)),
          LimitsConfig.defaults(), new TenantResolver(false, false), kafka.bootstrapServers(), "logs.ingesters",
          "logs", null, null, clock);
          HttpServer server = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(querier.routes()), querier::ready)) {
        querier.start();
        server.start();
        await().atMost(Duration.ofSeconds(30))
            .until(() -> querier.ready() && querier.registry().live().size() == 2);
        assertThat(querier.registry().logsPartitions()).isEqualTo(3);
        String base = "http://127.0.0.1:" + server.port();

        HttpResponse<String> covered = queryRange(base);
        assertThat(covered.statusCode()).as(covered.body()).isEqualTo(200);
        assertThat(JSON.readTree(covered.body()).at("/data/result/0/values/0/1").asText()).isEqualTo("a1");

        // ingester-a gave partition 2 up (it moved to the dead one's successor, still replaying)
        a.answerQueries(new IngesterProtocol.QueryResponse(1, List.of(), 0L, 0L, List.of(0, 1)));
        HttpResponse<String> uncovered = queryRange(base);
        assertThat(uncovered.statusCode()).as(uncovered.body()).isEqualTo(503);
        assertThat(uncovered.body()).contains("partitions [2] of the logs topic are not served")
            .contains("ingester-dead");
        assertThat(a.queries.size()).as("asked again while partition 2 was not covered").isGreaterThan(2);
      }
    }
  }

  private HttpResponse<String> queryRange(String base) throws Exception {
    String q = "query=" + URLEncoder.encode("{app=\"api\"}", StandardCharsets.UTF_8) + "&start=" + T0 + "&end="
        + (T0 + 1000);
    return http.send(HttpRequest.newBuilder(URI.create(base + "/loki/api/v1/query_range?" + q)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
