package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push API as curl and other plain HTTP clients use it, against {@code fjord all} with auth
 * off (tenant {@code fake}): gzip JSON with structured metadata, duplicate pushes, bad input that
 * must be refused while the server keeps serving, and a restart on the same data directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushApiEndToEndTest {
  private FjordHarness fjord;
  private final long now = Instant.now().toEpochMilli() * 1_000_000;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    fjord = new FjordHarness(dataDir, Map.of());
  }

  @AfterAll
  void stop() {
    if (fjord != null) {
      fjord.close();
    }
  }

  private HttpResponse<String> pushJson(String body, boolean gzip) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = Map.of();
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(bytes);
      }
      bytes = out.toByteArray();
      headers = Map.of("Content-Encoding", "gzip");
    }
    return fjord.post("/loki/api/v1/push", null, "application/json", headers, bytes);
  }

  private JsonNode queryRange(String query) throws Exception {
    return fjord.getJson("/loki/api/v1/query_range", null, Map.of("query", query,
        "start", String.valueOf(now - 3_600_000_000_000L), "end", String.valueOf(now + 60_000_000_000L),
        "direction", "forward"));
  }

  @Test
  void gzipJsonWithStructuredMetadataAndRetriedPushesAreStoredOnce() throws Exception {
    String body = "{\"streams\":[{\"stream\":{\"app\":\"curl\",\"env\":\"dev\"},\"values\":["
        + "[\"" + now + "\",\"first\",{\"trace_id\":\"t1\"}],"
        + "[\"" + (now + 1) + "\",\"second\"]]}]}";
    assertThat(pushJson(body, true).statusCode()).isEqualTo(204);
    assertThat(pushJson(body, false).statusCode()).as("a client retry of the same push").isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode r = queryRange("{app=\"curl\"}");
      assertThat(r.at("/data/result")).hasSize(2); // the metadata splits the stream, as in Loki
      assertThat(r.toString()).contains("first").contains("second");
      int total = 0;
      for (JsonNode s : r.at("/data/result")) {
        total += s.get("values").size();
        if (s.at("/stream/trace_id").asText().equals("t1")) {
          assertThat(s.at("/values/0/1").asText()).isEqualTo("first");
          assertThat(s.at("/values/0/0").asText()).isEqualTo(String.valueOf(now));
        }
      }
      assertThat(total).as("each line once, despite the retry").isEqualTo(2);
    });
  }

  @Test
  void badInputIsRefusedAndTheServerKeepsServing() throws Exception {
    assertThat(pushJson("{\"streams\":[{\"stream\":{\"app\":\"x\"},\"values\":[[\"1\",", false).statusCode())
        .isEqualTo(400);
    assertThat(pushJson("{\"streams\":[{\"stream\":{\"app\":\"x\"},\"values\":[[1,2]]}]}", false).statusCode())
        .isEqualTo(400);
    assertThat(fjord.post("/loki/api/v1/push", null, "application/x-protobuf", Map.of(),
        "not snappy at all".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
    // a 10 MB line, gzipped so that the whole body is read: sent raw, the body cap answers 413
    // before the client has finished sending (the distributor's own tests cover that)
    String hugeLine = "x".repeat(10 * 1024 * 1024);
    HttpResponse<String> huge = pushJson("{\"streams\":[{\"stream\":{\"app\":\"x\"},\"values\":[[\"" + now + "\",\""
        + hugeLine + "\"]]}]}", true);
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(huge.body()).contains("{app=\"x\"}");
    assertThat(fjord.get("/loki/api/v1/query_range?query=" + java.net.URLEncoder.encode("{app=", StandardCharsets.UTF_8),
        null).statusCode()).isEqualTo(400);
    // still serving, and nothing of the refused pushes was stored
    String ok = "{\"streams\":[{\"stream\":{\"app\":\"after\"},\"values\":[[\"" + now + "\",\"still here\"]]}]}";
    assertThat(pushJson(ok, false).statusCode()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(queryRange("{app=\"after\"}").toString()).contains("still here"));
    assertThat(queryRange("{app=\"x\"}").at("/data/result")).isEmpty();
  }

  @Test
  void buildInfoAndReadinessAnswer() throws Exception {
    assertThat(fjord.get("/ready", null).statusCode()).isEqualTo(200);
    JsonNode info = fjord.getJson("/loki/api/v1/status/buildinfo", null, Map.of());
    assertThat(info.has("version")).isTrue();
  }
}
