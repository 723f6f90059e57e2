package io.fjord.ingester.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.HttpServer;
import io.fjord.ingester.chunk.ChunkSettings;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.query.IngesterQueries;
import io.fjord.ingester.stream.DeadLetterHandlers;
import io.fjord.ingester.stream.IngestStats;
import io.fjord.ingester.stream.IngesterTopology;
import io.fjord.ingester.stream.TopologySettings;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The protocol over real HTTP, in front of a topology fed by a TopologyTestDriver. */
class IngesterRoutesTest {
  @TempDir
  static Path stateDir;
  @TempDir
  static Path storeDir;
  static io.fjord.ingester.flush.FlushFixture flush;
  static TopologyTestDriver driver;
  static HttpServer server;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    PartitionRegistry registry = new PartitionRegistry();
    IngestStats stats = new IngestStats();
    flush = new io.fjord.ingester.flush.FlushFixture(storeDir, java.time.Clock.systemUTC());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "routes-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    DeadLetterHandlers.configure(props, "dlq", stats);
    TopologySettings settings = new TopologySettings("logs", "dlq",
        new ChunkSettings(256 * 1024, 1536 * 1024, Duration.ofMinutes(30), Duration.ofHours(2)), Duration.ofSeconds(30));
    driver = new TopologyTestDriver(IngesterTopology.build(settings, registry, stats, io.fjord.ingester.replay.ReplaySource.none(),
        flush.flusher, flush.checkpoints), props);
    TestInputTopic<byte[], byte[]> logs =
        driver.createInputTopic("logs", new ByteArraySerializer(), new ByteArraySerializer());
    for (String tenant : List.of("a", "b")) {
      StreamBatch batch = new StreamBatch(tenant, Labels.of("app", "api", "owner", tenant),
          List.of(new LogEntry(1_000, tenant + " line 1"), new LogEntry(2_000, tenant + " line 2")));
      logs.pipeInput(LogRecordCodec.encodeKey(tenant, batch.fingerprint()), LogRecordCodec.encodeValue(batch));
    }
    LimitsConfig limits = new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, 100,
        null, null, null, null, null);
    server = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(new IngesterRoutes(new IngesterQueries(registry, limits))),
        () -> true).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    driver.close();
    flush.close();
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersAQueryAsProtocolJson() throws Exception {
    HttpResponse<String> r = post(IngesterProtocol.QUERY_PATH, """
        {"version":1,"tenants":["a"],"query":"{app=\\"api\\"} |= \\"line 2\\"","startNanos":0,
         "endNanos":10000,"limit":10,"direction":"BACKWARD"}""");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("version").asInt()).isEqualTo(1);
    assertThat(body.get("streams")).hasSize(1);
    JsonNode stream = body.get("streams").get(0);
    assertThat(stream.get("tenant").asText()).isEqualTo("a");
    assertThat(stream.get("labels").get("owner").asText()).isEqualTo("a");
    assertThat(stream.get("entries").get(0).get("ts").asLong()).isEqualTo(2_000);
    assertThat(stream.get("entries").get(0).get("line").asText()).isEqualTo("a line 2");
    // both of tenant a's entries were read (8 bytes each), though only one passed the filter
    assertThat(body.get("entriesScanned").asLong()).isEqualTo(2);
    assertThat(body.get("bytesScanned").asLong()).isEqualTo(16);
  }

  @Test
  void answersLabelsAndSeriesForTheNamedTenantsOnly() throws Exception {
    HttpResponse<String> values = post(IngesterProtocol.LABELS_PATH,
        "{\"version\":1,\"tenants\":[\"b\"],\"startNanos\":0,\"endNanos\":10000,\"name\":\"owner\"}");
    HttpResponse<String> series = post(IngesterProtocol.SERIES_PATH,
        "{\"version\":1,\"tenants\":[\"a\"],\"startNanos\":0,\"endNanos\":10000,\"match\":[\"{app=\\\"api\\\"}\"]}");

    assertThat(values.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(values.body()).get("values").toString()).isEqualTo("[\"b\"]");
    assertThat(series.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(series.body()).get("series").toString())
        .isEqualTo("[{\"tenant\":\"a\",\"labels\":{\"app\":\"api\",\"owner\":\"a\"}}]");
  }

  @Test
  void answersSamplesAsTimestampValuePairsWithThePartitionsCovered() throws Exception {
    HttpResponse<String> r = post(IngesterProtocol.SAMPLES_PATH, """
        {"version":1,"tenants":["b"],"query":"bytes_over_time({app=\\"api\\"}[1m])","startNanos":0,
         "endNanos":10000,"grouping":{"without":true,"labels":["app"]}}""");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("version").asInt()).isEqualTo(1);
    assertThat(body.get("partitions")).hasSize(1);
    assertThat(body.get("series")).hasSize(1);
    JsonNode series = body.get("series").get(0);
    assertThat(series.get("tenant").asText()).isEqualTo("b");
    assertThat(series.get("labels").toString()).isEqualTo("{\"owner\":\"b\"}");
    assertThat(series.get("partition").asInt()).isEqualTo(body.get("partitions").get(0).asInt());
    // "b line 1" and "b line 2" are 8 bytes each
    assertThat(series.get("samples").toString()).isEqualTo("[[1000,8.0],[2000,8.0]]");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "log query   | {\"version\":1,\"tenants\":[\"a\"],\"query\":\"{a=\\\"b\\\"}\",\"startNanos\":0,\"endNanos\":1} | one range aggregation",
      "binary      | {\"version\":1,\"tenants\":[\"a\"],\"query\":\"count_over_time({a=\\\"b\\\"}[1m]) * 2\",\"startNanos\":0,\"endNanos\":1} | one range aggregation",
      "no query    | {\"version\":1,\"tenants\":[\"a\"],\"startNanos\":0,\"endNanos\":1} | query is required",
      "bad buckets | {\"version\":1,\"tenants\":[\"a\"],\"query\":\"count_over_time({a=\\\"b\\\"}[1m])\",\"startNanos\":0,\"endNanos\":1,\"bucketWidthNanos\":-1} | bucketWidthNanos must not be negative",
      "no tenants  | {\"version\":1,\"query\":\"count_over_time({a=\\\"b\\\"}[1m])\",\"startNanos\":0,\"endNanos\":1} | tenants is required"})
  void refusesBadSampleRequestsWithA400SayingWhy(String what, String body, String message) throws Exception {
    HttpResponse<String> r = post(IngesterProtocol.SAMPLES_PATH, body);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not json                  | {nope                                                                            | invalid QueryRequest body",
      "empty body                |                                                                                  | empty request body",
      "wrong version             | {\"version\":2,\"tenants\":[\"a\"],\"query\":\"{a=\\\"b\\\"}\",\"startNanos\":0,\"endNanos\":1,\"limit\":1,\"direction\":\"FORWARD\"} | unsupported ingester protocol version 2",
      "no tenants                | {\"version\":1,\"query\":\"{a=\\\"b\\\"}\",\"startNanos\":0,\"endNanos\":1,\"limit\":1,\"direction\":\"FORWARD\"} | tenants is required",
      "bad LogQL                 | {\"version\":1,\"tenants\":[\"a\"],\"query\":\"{a=\\\"b\\\"\",\"startNanos\":0,\"endNanos\":1,\"limit\":1,\"direction\":\"FORWARD\"} | parse error",
      "metric query              | {\"version\":1,\"tenants\":[\"a\"],\"query\":\"count_over_time({a=\\\"b\\\"}[1m])\",\"startNanos\":0,\"endNanos\":1,\"limit\":1,\"direction\":\"FORWARD\"} | log queries only",
      "limit over the maximum    | {\"version\":1,\"tenants\":[\"a\"],\"query\":\"{a=\\\"b\\\"}\",\"startNanos\":0,\"endNanos\":1,\"limit\":101,\"direction\":\"FORWARD\"} | max entries limit per query exceeded",
      "zero limit                | {\"version\":1,\"tenants\":[\"a\"],\"query\":\"{a=\\\"b\\\"}\",\"startNanos\":0,\"endNanos\":1,\"limit\":0,\"direction\":\"FORWARD\"} | limit must be positive",
      "unknown direction         | {\"version\":1,\"tenants\":[\"a\"],\"query\":\"{a=\\\"b\\\"}\",\"startNanos\":0,\"endNanos\":1,\"limit\":1,\"direction\":\"SIDEWAYS\"} | invalid QueryRequest body",
      "end before start          | {\"version\":1,\"tenants\":[\"a\"],\"query\":\"{a=\\\"b\\\"}\",\"startNanos\":5,\"endNanos\":1,\"limit\":1,\"direction\":\"FORWARD\"} | before its start"})
  void refusesBadQueriesWithA400SayingWhy(String what, String body, String message) throws Exception {
    HttpResponse<String> r = post(IngesterProtocol.QUERY_PATH, body == null ? "" : body);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains(message);
  }

  @Test
  void refusesABadSelectorInLabelsAndSeries() throws Exception {
    HttpResponse<String> labels = post(IngesterProtocol.LABELS_PATH,
        "{\"version\":1,\"tenants\":[\"a\"],\"startNanos\":0,\"endNanos\":1,\"query\":\"{app=}\"}");
    HttpResponse<String> series = post(IngesterProtocol.SERIES_PATH,
        "{\"version\":1,\"tenants\":[\"a\"],\"startNanos\":0,\"endNanos\":1,\"match\":[\"sum(x)\"]}");

    assertThat(labels.statusCode()).isEqualTo(400);
    assertThat(labels.body()).contains("parse error");
    assertThat(series.statusCode()).isEqualTo(400);
  }
}
