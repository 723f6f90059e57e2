package io.fjord.querier.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.HttpServer;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.querier.MutableClock;
import io.fjord.querier.engine.QueryService;
import io.fjord.querier.engine.RequestLimits;
import io.fjord.querier.engine.metric.LokiMetricEngine;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.TenantSamples;
import io.fjord.querier.source.TenantSeries;
import io.fjord.schemas.labels.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code index/stats}, {@code index/volume} and {@code index/volume_range} over real HTTP, on a
 * source that computes samples from raw entries as an ingester does (bytes or 1 per entry, summed
 * per bucket and group).
 */
class IndexRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long S = 1_000_000_000L;
  private static final long START = 1795132800L;
  private static final long END = 1795136400L;

  private final RawSource source = new RawSource();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-20T01:00:00Z"));
    QueryService service = new QueryService(source, new LokiMetricEngine(source, 500, clock),
        new RequestLimits(LimitsConfig.defaults()), clock);
    QuerierRoutes routes = new QuerierRoutes(service, new TenantResolver(false, false), false, () -> true, clock);
    server = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(routes), () -> true).start();
    base = "http://127.0.0.1:" + server.port() + "/loki/api/v1/";
    source.add("fake", Labels.of("app", "api", "env", "prod"), START + 100, "aaaa");
    source.add("fake", Labels.of("app", "api", "env", "prod"), START + 200, "bb");
    source.add("fake", Labels.of("app", "api", "env", "prod"), START + 2000, "eeeee");
    source.add("fake", Labels.of("app", "api", "env", "dev"), START + 100, "c");
    source.add("fake", Labels.of("app", "web"), START + 150, "dddddd");
    source.add("fake", Labels.of("app", "api", "env", "prod"), END + 10, "after the range");
    source.add("other", Labels.of("app", "api"), START + 100, "another tenant's");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void statsCountTheSelectedStreamsEntriesAndBytesInTheRange() throws Exception {
    JsonNode body = get("index/stats", "query", "{app=\"api\"}", "start", "" + START, "end", "" + END);

    assertThat(body).isEqualTo(JSON.readTree("{\"streams\":2,\"chunks\":2,\"bytes\":12,\"entries\":4}"));
  }

  @Test
  void volumeGroupsByTheSelectorsLabelsLargestFirst() throws Exception {
    JsonNode body = get("index/volume", "query", "{app=~\".+\"}", "start", "" + START, "end", "" + END);

    assertThat(body.at("/status").asText()).isEqualTo("success");
    assertThat(body.at("/data/resultType").asText()).isEqualTo("vector");
    assertThat(body.at("/data/result")).isEqualTo(JSON.readTree("[{\"metric\":{\"app\":\"api\"},\"value\":["
        + END + ",\"12\"]},{\"metric\":{\"app\":\"web\"},\"value\":[" + END + ",\"6\"]}]"));
  }

  @Test
  void volumeByTargetLabelsWithALimit() throws Exception {
    JsonNode body = get("index/volume", "query", "{app=\"api\"}", "start", "" + START, "end", "" + END,
        "targetLabels", "env", "limit", "1");

    assertThat(body.at("/data/result")).isEqualTo(JSON.readTree("[{\"metric\":{\"env\":\"prod\"},\"value\":["
        + END + ",\"11\"]}]"));
  }

  @Test
  void volumeRangeSumsEachStep() throws Exception {
    JsonNode body = get("index/volume_range", "query", "{app=\"api\"}", "start", "" + START, "end", "" + END,
        "step", "1800");

    assertThat(body.at("/data/resultType").asText()).isEqualTo("matrix");
    assertThat(body.at("/data/result")).isEqualTo(JSON.readTree("[{\"metric\":{\"app\":\"api\"},\"values\":[["
        + (START + 1800) + ",\"7\"],[" + END + ",\"5\"]]}]"));
  }

  @Test
  void volumeByLabelNameCountsEachStreamForEveryLabelItHas() throws Exception {
    JsonNode body = get("index/volume", "query", "{app=~\".+\"}", "start", "" + START, "end", "" + END,
        "aggregateBy", "labels");

    // app: every stream (12 + 6); env: the api streams only (12)
    assertThat(body.at("/data/result")).isEqualTo(JSON.readTree("[{\"metric\":{\"app\":\"\"},\"value\":["
        + END + ",\"18\"]},{\"metric\":{\"env\":\"\"},\"value\":[" + END + ",\"12\"]}]"));
  }

  @Test
  void anUnknownAggregationIsRefused() throws Exception {
    HttpResponse<String> r = raw("index/volume", "query", "{app=\"api\"}", "aggregateBy", "pods");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("invalid aggregation option\n");
  }

  @Test
  void aQueryThatDoesNotParseIsRefused() throws Exception {
    HttpResponse<String> r = raw("index/stats", "query", "{app=");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("parse error at line 1, col ");
  }

  private JsonNode get(String path, String... kv) throws Exception {
    HttpResponse<String> r = raw(path, kv);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> raw(String path, String... kv) throws Exception {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      parts.add(URLEncoder.encode(kv[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path + "?" + String.join("&", parts))).GET().build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Raw entries; answers samples requests of {@code bytes_over_time} / {@code count_over_time} of a
   * selector with at most one {@code name="value"} matcher, as an ingester would.
   */
  private static final class RawSource implements LogSource {
    private static final Pattern EQ = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private record Raw(String tenant, Labels labels, long tsNanos, String line) {}

    private final List<Raw> entries = new CopyOnWriteArrayList<>();

    void add(String tenant, Labels labels, long seconds, String line) {
      entries.add(new Raw(tenant, labels, seconds * S, line));
    }

    @Override
    public SampleResult samples(SampleRequest r) {
      boolean bytes = r.query().startsWith("bytes_over_time(");
      Matcher m = EQ.matcher(r.query());
      String name = m.find() ? m.group(1) : null;
      String value = name == null ? null : m.group(2);
      Map<List<Object>, TreeMap<Long, Double>> series = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
      Map<List<Object>, Labels> labelsOf = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
      for (Raw e : entries) {
        if (!r.tenants().contains(e.tenant()) || e.tsNanos() < r.startNanos() || e.tsNanos() >= r.endNanos()
            || (name != null && !value.equals(e.labels().get(name)))) {
          continue;
        }
        Labels l = e.labels();
        if (r.grouping() != null) {
          List<String> kv = new ArrayList<>();
          for (String g : r.grouping().labels()) {
            if (l.get(g) != null) {
              kv.add(g);
              kv.add(l.get(g));
            }
          }
          l = Labels.of(kv.toArray(new String[0]));
        }
        List<Object> key = List.of(e.tenant(), l);
        labelsOf.put(key, l);
        series.computeIfAbsent(key, k -> new TreeMap<>())
            .merge(r.bucketOf(e.tsNanos()), bytes ? (double) e.line().length() : 1.0, Double::sum);
      }
      List<TenantSamples> out = new ArrayList<>();
      series.forEach((key, points) -> out.add(new TenantSamples((String) key.get(0), labelsOf.get(key),
          points.keySet().stream().mapToLong(Long::longValue).toArray(),
          points.values().stream().mapToDouble(Double::doubleValue).toArray())));
      return new SampleResult(out, 1);
    }

    @Override
    public SelectResult select(SelectRequest request) {
      return SelectResult.EMPTY;
    }

    @Override
    public List<String> labels(LabelsRequest request) {
      return List.of();
    }

    @Override
    public List<TenantSeries> series(SeriesRequest request) {
      return List.of();
    }
  }
}
