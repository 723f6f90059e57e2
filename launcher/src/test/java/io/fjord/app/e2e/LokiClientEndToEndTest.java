package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.loki4j.logback.Loki4jAppender;
import com.github.loki4j.logback.PipelineConfigAppenderBase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Loki client, the loki4j logback appender, pushes through logback into {@code fjord all}
 * (real Kafka, real RocksDB), once in JSON mode for tenant A and once in protobuf+snappy mode for
 * tenant B; the lines are then read back through the query API, per tenant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LokiClientEndToEndTest {
  private static final int LINES = 200;
  private FjordHarness fjord;
  private long startNanos;

  @BeforeAll
  void startFjordAndPush(@TempDir Path dataDir) {
    fjord = new FjordHarness(dataDir, Map.of("auth_enabled", "true"));
    startNanos = Instant.now().minusSeconds(60).toEpochMilli() * 1_000_000;
    push("tenant-a", false, "json");
    push("tenant-b", true, "proto");
  }

  @AfterAll
  void stop() {
    if (fjord != null) {
      fjord.close();
    }
  }

  /** Sends LINES lines through a loki4j appender and waits until its queue is drained. */
  private void push(String tenant, boolean protobuf, String mode) {
    LoggerContext ctx = new LoggerContext();
    ctx.setName("e2e-" + mode);
    Loki4jAppender appender = new Loki4jAppender();
    appender.setContext(ctx);
    appender.setName("loki-" + mode);
    PipelineConfigAppenderBase.HttpCfg http = new PipelineConfigAppenderBase.HttpCfg();
    http.setUrl(fjord.pushUrl());
    http.setTenantId(tenant);
    http.setUseProtobufApi(protobuf);
    appender.setHttp(http);
    PipelineConfigAppenderBase.BatchCfg batch = new PipelineConfigAppenderBase.BatchCfg();
    batch.setMaxItems(50);
    batch.setTimeoutMs(200);
    batch.setDrainOnStop(true);
    appender.setBatch(batch);
    appender.setLabels("app = e2e\nmode = " + mode + "\nlevel = %level");
    appender.setStructuredMetadata("thread = %thread");
    PatternLayout layout = new PatternLayout();
    layout.setContext(ctx);
    layout.setPattern("%msg");
    layout.start();
    appender.setMessage(layout);
    appender.start();
    Logger logger = ctx.getLogger("e2e");
    logger.setAdditive(false);
    logger.addAppender(appender);
    for (int i = 0; i < LINES; i++) {
      if (i % 10 == 0) {
        logger.warn("line {} from {}", i, mode);
      } else {
        logger.info("line {} from {}", i, mode);
      }
    }
    appender.stop();
    ctx.stop();
  }

  private Map<String, String> range(String query, String limit, String direction) {
    return Map.of("query", query, "start", String.valueOf(startNanos),
        "end", String.valueOf(Instant.now().plusSeconds(60).toEpochMilli() * 1_000_000),
        "limit", limit, "direction", direction);
  }

  private List<String> lines(JsonNode response) {
    List<String> out = new ArrayList<>();
    for (JsonNode stream : response.at("/data/result")) {
      for (JsonNode value : stream.get("values")) {
        out.add(value.get(1).asText());
      }
    }
    return out;
  }

  @Test
  void jsonModeLinesComeBackExactlyForTheirTenant() {
    List<String> expected = IntStream.range(0, LINES).mapToObj(i -> "line " + i + " from json").toList();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode r = fjord.getJson("/loki/api/v1/query_range", "tenant-a", range("{app=\"e2e\"}", "1000", "forward"));
      assertThat(r.at("/status").asText()).isEqualTo("success");
      assertThat(r.at("/data/resultType").asText()).isEqualTo("streams");
      assertThat(lines(r)).containsExactlyInAnyOrderElementsOf(expected);
    });
  }

  @Test
  void protobufModeLinesComeBackWithStructuredMetadata() {
    List<String> expected = IntStream.range(0, LINES).mapToObj(i -> "line " + i + " from proto").toList();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode r = fjord.getJson("/loki/api/v1/query_range", "tenant-b", range("{mode=\"proto\"}", "1000", "forward"));
      assertThat(lines(r)).containsExactlyInAnyOrderElementsOf(expected);
      for (JsonNode stream : r.at("/data/result")) {
        assertThat(stream.at("/stream/app").asText()).isEqualTo("e2e");
        assertThat(stream.at("/stream/thread").asText()).as("structured metadata merged into labels").isNotEmpty();
      }
    });
  }

  @Test
  void lineFiltersSelectorsLimitAndDirection() throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lines(fjord.getJson(
        "/loki/api/v1/query_range", "tenant-a", range("{app=\"e2e\"}", "1000", "forward")))).hasSize(LINES));
    JsonNode warn = fjord.getJson("/loki/api/v1/query_range", "tenant-a",
        range("{app=\"e2e\", level=\"WARN\"} |= \"line 1\" != \"line 10 \"", "1000", "forward"));
    // WARN lines are every tenth: 0, 10, ..., 190; of those, "line 1..." are 10 and 100..190; minus "line 10 "
    assertThat(lines(warn)).containsExactly(
        "line 100 from json", "line 110 from json", "line 120 from json", "line 130 from json",
        "line 140 from json", "line 150 from json", "line 160 from json", "line 170 from json",
        "line 180 from json", "line 190 from json");
    JsonNode regex = fjord.getJson("/loki/api/v1/query_range", "tenant-a",
        range("{app=~\"e2.*\", level=~\"W.*\"} |~ \"line (1|5)0 \"", "1000", "forward"));
    assertThat(lines(regex)).containsExactly("line 10 from json", "line 50 from json");
    JsonNode lastThree = fjord.getJson("/loki/api/v1/query_range", "tenant-a",
        range("{app=\"e2e\", level=\"WARN\"}", "3", "backward"));
    assertThat(lines(lastThree)).containsExactly("line 190 from json", "line 180 from json", "line 170 from json");
  }

  @Test
  void labelsValuesAndSeriesArePerTenant() throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fjord.getJson(
        "/loki/api/v1/label/mode/values", "tenant-a", Map.of()).get("data")).isNotEmpty());
    JsonNode labelsA = fjord.getJson("/loki/api/v1/labels", "tenant-a", Map.of());
    assertThat(labelsA.get("status").asText()).isEqualTo("success");
    assertThat(texts(labelsA.get("data"))).containsExactly("app", "level", "mode");
    assertThat(texts(fjord.getJson("/loki/api/v1/label/mode/values", "tenant-a", Map.of()).get("data")))
        .containsExactly("json");
    assertThat(texts(fjord.getJson("/loki/api/v1/label/level/values", "tenant-a", Map.of()).get("data")))
        .containsExactly("INFO", "WARN");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(texts(fjord.getJson(
        "/loki/api/v1/label/mode/values", "tenant-b", Map.of()).get("data"))).containsExactly("proto"));
    JsonNode series = fjord.getJson("/loki/api/v1/series", "tenant-a", Map.of("match[]", "{level=\"WARN\"}"));
    assertThat(series.get("data")).hasSize(1);
    assertThat(series.at("/data/0/app").asText()).isEqualTo("e2e");
    assertThat(series.at("/data/0/mode").asText()).isEqualTo("json");
    assertThat(series.at("/data/0/level").asText()).isEqualTo("WARN");
  }

  @Test
  void tenantsCannotSeeEachOther() throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lines(fjord.getJson(
        "/loki/api/v1/query_range", "tenant-b", range("{app=\"e2e\"}", "1000", "forward")))).hasSize(LINES));
    assertThat(lines(fjord.getJson("/loki/api/v1/query_range", "tenant-b",
        range("{app=\"e2e\"}", "1000", "forward")))).allMatch(l -> l.endsWith("from proto"));
    assertThat(lines(fjord.getJson("/loki/api/v1/query_range", "tenant-b",
        range("{mode=\"json\"}", "1000", "forward")))).isEmpty();
    assertThat(lines(fjord.getJson("/loki/api/v1/query_range", "tenant-c",
        range("{app=\"e2e\"}", "1000", "forward")))).isEmpty();
    assertThat(texts(fjord.getJson("/loki/api/v1/label/mode/values", "tenant-b", Map.of()).get("data")))
        .doesNotContain("json");
    assertThat(fjord.getJson("/loki/api/v1/series", "tenant-c", Map.of("match[]", "{app=\"e2e\"}")).get("data"))
        .isEmpty();
    assertThat(fjord.get("/loki/api/v1/labels", null).statusCode()).as("no tenant with auth on").isEqualTo(401);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
