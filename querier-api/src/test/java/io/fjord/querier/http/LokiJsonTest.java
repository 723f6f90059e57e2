package io.fjord.querier.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fjord.querier.engine.QueryStats;
import io.fjord.querier.engine.ResultStream;
import io.fjord.querier.engine.StreamsResult;
import io.fjord.querier.source.Entry;
import io.fjord.schemas.labels.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The expected documents in {@code src/test/resources/loki-docs} were written by hand from the
 * response examples in Loki's HTTP API documentation (and, for {@code stats}, from the statistics
 * object Loki 3 answers with).
 */
class LokiJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final QueryStats NO_STATS = new QueryStats(0, 0, 0, 0, 0, 0);

  @Test
  void aStreamsAnswerHasLokisShape() throws IOException {
    Labels labels = Labels.of("job", "varlogs", "level", "info", "filename", "/var/log/myproject.log");
    StreamsResult result = new StreamsResult(List.of(new ResultStream(labels,
        List.of(new Entry(1569266497240578000L, "foo"), new Entry(1569266492548155000L, "bar")))), NO_STATS);

    JsonNode written = MAPPER.readTree(LokiJson.queryResult(result));
    JsonNode stats = ((ObjectNode) written.get("data")).remove("stats");

    assertThat(written).isEqualTo(doc("query_range_streams.json"));
    assertThat(stats).isNotNull();
  }

  @Test
  void theStatsObjectHasEveryFieldLokiAnswersWithAndOfTheSameKinds() throws IOException {
    JsonNode written = MAPPER.readTree(LokiJson.queryResult(new StreamsResult(List.of(), NO_STATS)));

    assertThat(shape(written.at("/data/stats"))).isEqualTo(shape(doc("stats.json")));
  }

  @Test
  void theStatsCarryWhatTheQuerierMeasured() throws IOException {
    // 400 bytes and 10 lines in 2 seconds: 200 bytes/s and 5 lines/s
    QueryStats stats = new QueryStats(2.0, 10, 400, 2, 3, 1);

    JsonNode s = MAPPER.readTree(LokiJson.queryResult(new StreamsResult(List.of(), stats))).at("/data/stats");

    assertThat(s.at("/summary/bytesProcessedPerSecond").asLong()).isEqualTo(200);
    assertThat(s.at("/summary/linesProcessedPerSecond").asLong()).isEqualTo(5);
    assertThat(s.at("/summary/totalBytesProcessed").asLong()).isEqualTo(400);
    assertThat(s.at("/summary/totalLinesProcessed").asLong()).isEqualTo(10);
    assertThat(s.at("/summary/execTime").asDouble()).isEqualTo(2.0);
    assertThat(s.at("/summary/totalEntriesReturned").asLong()).isEqualTo(2);
    assertThat(s.at("/ingester/totalReached").asLong()).isEqualTo(3);
    assertThat(s.at("/ingester/totalLinesSent").asLong()).isEqualTo(10);
    assertThat(s.at("/ingester/store/chunk/totalDuplicates").asLong()).isEqualTo(1);
  }

  @Test
  void anEmptyAnswerHasAnEmptyResultArray() throws IOException {
    JsonNode written = MAPPER.readTree(LokiJson.queryResult(new StreamsResult(List.of(), NO_STATS)));

    assertThat(written.at("/data/resultType").asText()).isEqualTo("streams");
    assertThat(written.at("/data/result").isArray()).isTrue();
    assertThat(written.at("/data/result")).isEmpty();
  }

  @Test
  void linesAndLabelValuesAreEscapedAndSurviveTheRoundTrip() throws IOException {
    String line = "quote \" backslash \\ newline \n tab \t ünïcødé ✓ \u0001";
    Labels labels = Labels.of("path", "C:\\temp \"x\"");
    JsonNode written = MAPPER.readTree(LokiJson.queryResult(new StreamsResult(
        List.of(new ResultStream(labels, List.of(new Entry(1, line)))), NO_STATS)));

    assertThat(written.at("/data/result/0/values/0/1").asText()).isEqualTo(line);
    assertThat(written.at("/data/result/0/stream/path").asText()).isEqualTo("C:\\temp \"x\"");
  }

  @Test
  void labelsAnswerHasLokisShape() throws IOException {
    assertThat(MAPPER.readTree(LokiJson.stringList(List.of("bar", "baz", "foo")))).isEqualTo(doc("labels.json"));
  }

  @Test
  void noValuesLeaveDataOutAsLokiDoes() throws IOException {
    // Loki v3.7.6's recorded answer for a label with no values (conformance case api-011)
    assertThat(MAPPER.readTree(LokiJson.stringList(List.of()))).isEqualTo(MAPPER.readTree("{\"status\":\"success\"}"));
  }

  @Test
  void seriesAnswerHasLokisShape() throws IOException {
    List<Labels> series = List.of(
        Labels.of("container_name", "loki", "app", "loki", "job", "default/loki", "namespace", "default"),
        Labels.of("app", "prometheus", "component", "server", "job", "default/prometheus", "namespace", "default"));

    assertThat(MAPPER.readTree(LokiJson.series(series))).isEqualTo(doc("series.json"));
  }

  @Test
  void buildInfoHasLokisFields() throws IOException {
    JsonNode written = MAPPER.readTree(LokiJson.buildInfo(BuildInfo.fromManifestVersion("0.1.0")));

    assertThat(fieldNames(written)).isEqualTo(fieldNames(doc("buildinfo.json")));
    written.forEach(v -> assertThat(v.isTextual()).isTrue());
    assertThat(written.get("version").asText()).isEqualTo("0.1.0");
  }

  @Test
  void withoutAManifestVersionTheVersionIsDev() {
    assertThat(BuildInfo.fromManifestVersion(null).version()).isEqualTo("dev");
    assertThat(BuildInfo.fromManifestVersion(" ").version()).isEqualTo("dev");
  }

  private static JsonNode doc(String name) throws IOException {
    try (InputStream in = LokiJsonTest.class.getResourceAsStream("/loki-docs/" + name)) {
      return MAPPER.readTree(in);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }

  /** The tree's structure without its values: every path with the kind of node found there. */
  private static List<String> shape(JsonNode node) {
    List<String> out = new ArrayList<>();
    shape(node, "", out);
    out.sort(null);
    return out;
  }

  private static void shape(JsonNode node, String path, List<String> out) {
    if (node.isObject()) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        shape(node.get(f), path + "/" + f, out);
      }
    } else {
      out.add(path + ":" + (node.isNumber() ? "number" : node.getNodeType().name().toLowerCase()));
    }
  }
}
