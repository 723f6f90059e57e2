package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fjord.app.config.ConfigLoader;
import io.fjord.app.config.FjordConfig;
import io.fjord.app.run.FjordProcess;
import io.fjord.app.run.Target;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The operator surface of a running Fjord: {@code /metrics} of {@code fjord all} moves by the right
 * amounts after a push and a query, single-role processes (distributor, querier, ingester) sharing
 * its broker serve their own meters, {@code /config} is the effective config as loadable YAML, and
 * {@code /log_level} changes the root level at run time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorEndpointsEndToEndTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final long now = Instant.now().toEpochMilli() * 1_000_000;
  private FjordHarness fjord;
  private String bootstrap;
  private Path dir;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    int brokerPort;
    try (ServerSocket s = new ServerSocket(0)) {
      brokerPort = s.getLocalPort();
    }
    bootstrap = "127.0.0.1:" + brokerPort;
    fjord = new FjordHarness(dir.resolve("all"), Map.of("kafka.embedded_broker_port", String.valueOf(brokerPort)));
  }

  @AfterAll
  void stop() {
    if (fjord != null) {
      fjord.close();
    }
  }

  @Test
  void metricsOfFjordAllMoveByTheRightAmountsAfterAPushAndAQuery() throws Exception {
    String before = scrape(fjord.base);
    // 3 valid lines of 6 bytes in all, and one entry older than reject_old_samples_max_age
    String body = "{\"streams\":[{\"stream\":{\"app\":\"metrics\"},\"values\":["
        + "[\"" + now + "\",\"abc\"],[\"" + (now + 1) + "\",\"de\"],[\"" + (now + 2) + "\",\"f\"]]},"
        + "{\"stream\":{\"app\":\"old\"},\"values\":[[\"1000\",\"too old\"]]}]}";
    HttpResponse<String> push = fjord.post("/loki/api/v1/push", null, "application/json", Map.of(),
        body.getBytes(StandardCharsets.UTF_8));
    assertThat(push.statusCode()).as(push.body()).isEqualTo(400);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fjord.getJson("/loki/api/v1/query_range",
        null, Map.of("query", "{app=\"metrics\"}", "start", String.valueOf(now - 60_000_000_000L),
            "end", String.valueOf(now + 60_000_000_000L))).at("/data/result/0/values")).hasSize(3));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String after = scrape(fjord.base);
      assertThat(delta(before, after, "loki_distributor_lines_received_total{tenant=\"fake\"}")).isEqualTo(3);
      assertThat(delta(before, after, "loki_distributor_bytes_received_total{tenant=\"fake\"}")).isEqualTo(6);
      assertThat(delta(before, after,
          "loki_discarded_samples_total{reason=\"greater_than_max_sample_age\",tenant=\"fake\"}")).isEqualTo(1);
      assertThat(delta(before, after, "fjord_kafka_produce_latency_seconds_count")).isEqualTo(1);
      assertThat(delta(before, after, "fjord_ingester_records_total")).isEqualTo(1);
      assertThat(delta(before, after, "fjord_ingester_entries_total")).isEqualTo(3);
      assertThat(value(after, "loki_ingester_memory_streams{tenant=\"fake\"}")).isGreaterThanOrEqualTo(1);
      assertThat(value(after, "loki_ingester_memory_chunks")).isGreaterThanOrEqualTo(1);
      assertThat(value(after, "fjord_querier_ingesters")).isEqualTo(1);
      assertThat(delta(before, after, "loki_request_duration_seconds_count{method=\"POST\","
          + "route=\"loki_api_v1_push\",status_code=\"400\"}")).isEqualTo(1);
      assertThat(value(after, "loki_request_duration_seconds_count{method=\"GET\","
          + "route=\"loki_api_v1_query_range\",status_code=\"200\"}")).isGreaterThanOrEqualTo(1);
      assertThat(after).contains("fjord_ingester_dead_letter_records_total{reason=\"stream_limit\"}")
          .contains("fjord_ingester_replay_bytes_total")
          .contains("loki_ingester_chunks_flushed_total{reason=\"idle\"}");
      assertThat(value(after, "fjord_ingester_partition_lag{partition=\"0\"}")
          + value(after, "fjord_ingester_partition_lag{partition=\"3\"}")).as("caught up").isZero();
      assertThat(after).contains("fjord_ingester_partition_lag{partition=\"0\"}")
          .contains("fjord_ingester_partition_lag{partition=\"3\"}");
    });
  }

  @Test
  void singleRoleProcessesServeTheirOwnMeters() throws Exception {
    try (FjordProcess distributor = startRole(Target.DISTRIBUTOR, "d");
        FjordProcess querier = startRole(Target.QUERIER, "q")) {
      String d = "http://127.0.0.1:" + distributor.httpPort();
      String q = "http://127.0.0.1:" + querier.httpPort();
      HttpResponse<String> push = send(HttpRequest.newBuilder(URI.create(d + "/loki/api/v1/push"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"streams\":[{\"stream\":{\"app\":\"role\"},\"values\":[[\""
              + now + "\",\"12345\"]]}]}")));
      assertThat(push.statusCode()).as(push.body()).isEqualTo(204);

      String dm = scrape(d);
      assertThat(value(dm, "loki_distributor_bytes_received_total{tenant=\"fake\"}")).isEqualTo(5);
      assertThat(value(dm, "loki_request_duration_seconds_count{method=\"POST\",route=\"loki_api_v1_push\","
          + "status_code=\"204\"}")).isEqualTo(1);
      assertThat(dm).doesNotContain("fjord_querier_ingesters").doesNotContain("fjord_ingester_records_total");

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(value(scrape(q), "fjord_querier_ingesters")).isEqualTo(1));
      assertThat(scrape(q)).doesNotContain("loki_distributor_bytes_received_total")
          .doesNotContain("loki_ingester_memory_chunks");
    }
    // an ingester of its own consumer group reads the whole logs topic, the push above included
    try (FjordProcess ingester = startRole(Target.INGESTER, "i", Map.of("ingester.application_id", "fjord-solo",
        "ingester.instance_id", "solo"))) {
      String i = "http://127.0.0.1:" + ingester.httpPort();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        String im = scrape(i);
        assertThat(value(im, "fjord_ingester_records_total") + value(im, "fjord_ingester_replay_records_total"))
            .isGreaterThanOrEqualTo(1);
        assertThat(value(im, "loki_ingester_memory_streams{tenant=\"fake\"}")).isGreaterThanOrEqualTo(1);
        assertThat(im).contains("loki_ingester_memory_chunks").doesNotContain("loki_distributor_bytes_received_total")
            .doesNotContain("fjord_querier_ingesters");
      });
    }
  }

  @Test
  void configIsTheEffectiveConfigAsYamlThatLoadsBack() throws Exception {
    HttpResponse<String> r = fjord.get("/config", null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("http_listen_port:").contains("limits_config:");
    Path file = Files.writeString(dir.resolve("effective.yaml"), r.body());
    FjordConfig loaded = new ConfigLoader(name -> null).load(file, Map.of());
    assertThat(loaded.kafka().partitions()).isEqualTo(4); // the harness' override, not the default
    assertThat(loaded.kafka().embeddedBrokerPort()).isEqualTo(Integer.parseInt(bootstrap.split(":")[1]));
    assertThat(loaded.ingester().heartbeatPeriod()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void logLevelCanBeReadAndChangedAtRunTime() throws Exception {
    assertThat(fjord.get("/log_level", null).body().trim()).isEqualTo("info");
    try {
      HttpResponse<String> set = postLevel("debug");
      assertThat(set.statusCode()).isEqualTo(200);
      assertThat(fjord.get("/log_level", null).body().trim()).isEqualTo("debug");
      assertThat(LoggerFactory.getLogger("io.fjord.any").isDebugEnabled()).isTrue();

      HttpResponse<String> bad = postLevel("verbose");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("invalid log level 'verbose'");
      assertThat(fjord.get("/log_level", null).body().trim()).isEqualTo("debug");
    } finally {
      assertThat(postLevel("info").statusCode()).isEqualTo(200);
    }
    assertThat(LoggerFactory.getLogger("io.fjord.any").isDebugEnabled()).isFalse();
  }

  private HttpResponse<String> postLevel(String level) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(fjord.base + "/log_level?log_level=" + level))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private FjordProcess startRole(Target target, String name) {
    return startRole(target, name, Map.of());
  }

  private FjordProcess startRole(Target target, String name, Map<String, String> overrides) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("common.path_prefix", dir.resolve(name).toString());
    o.put("server.http_listen_port", "0");
    o.put("kafka.bootstrap_servers", bootstrap);
    o.put("kafka.partitions", "4");
    o.putAll(overrides);
    FjordConfig config = new ConfigLoader(n -> null).load(null, o);
    return FjordProcess.start(config, target, Clock.systemUTC());
  }

  private String scrape(String base) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    return r.body();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sample of exactly {@code series} (name and labels as Prometheus prints them), 0 when absent. */
  static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
      }
    }
    return 0;
  }

  private static double delta(String before, String after, String series) {
    return value(after, series) - value(before, series);
  }
}
