package io.fjord.querier.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.HttpServer;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.querier.MutableClock;
import io.fjord.logql.ast.Grouping;
import io.fjord.querier.engine.QueryService;
import io.fjord.querier.engine.RequestLimits;
import io.fjord.querier.engine.metric.LokiMetricEngine;
import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.TenantSamples;
import io.fjord.querier.source.TenantSeries;
import io.fjord.querier.source.TenantStream;
import io.fjord.schemas.labels.Labels;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query API over real HTTP, on a source with canned answers. */
class QuerierRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long S = 1_000_000_000L;
  private static final String START = "1795132800000000000";
  private static final String END = "1795136400000000000";

  private final CannedSource source = new CannedSource();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T01:00:00Z"));
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(HttpServer::close);
  }

  private String server(boolean authEnabled, boolean multiTenant) {
    QueryService service = new QueryService(source, new LokiMetricEngine(source, 500, clock),
        new RequestLimits(LimitsConfig.defaults()), clock);
    QuerierRoutes routes = new QuerierRoutes(service, new TenantResolver(authEnabled, multiTenant), multiTenant,
        ready::get, clock);
    HttpServer server = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(routes), ready::get).start();
    servers.add(server);
    return "http://127.0.0.1:" + server.port();
  }

  private String server() {
    return server(false, false);
  }

  @Test
  void queryRangeAnswersStreamsMergedAcrossTheSourcesAnswer() throws Exception {
    source.streams.add(new TenantStream("fake", Labels.of("app", "api"), List.of(e(1795133000, "b"), e(1795132900, "a"))));
    source.streams.add(new TenantStream("fake", Labels.of("app", "api"), List.of(e(1795133000, "b"))));
    String base = server();

    HttpResponse<String> r = get(base + "/loki/api/v1/query_range?" + form("query", "{app=\"api\"}", "start", START,
        "end", END, "limit", "10"), null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.at("/status").asText()).isEqualTo("success");
    assertThat(body.at("/data/resultType").asText()).isEqualTo("streams");
    assertThat(body.at("/data/result")).hasSize(1);
    assertThat(body.at("/data/result/0/stream")).isEqualTo(JSON.readTree("{\"app\":\"api\"}"));
    assertThat(body.at("/data/result/0/values")).isEqualTo(
        JSON.readTree("[[\"1795133000000000000\",\"b\"],[\"1795132900000000000\",\"a\"]]"));
    assertThat(body.at("/data/stats/summary/totalEntriesReturned").asInt()).isEqualTo(2);
    assertThat(source.selects).containsExactly(new SelectRequest(List.of("fake"), "{app=\"api\"}",
        1795132800L * S, 1795136400L * S, 10, Direction.BACKWARD));
  }

  @Test
  void queryRangeAcceptsAFormEncodedPostAsGrafanaSendsIt() throws Exception {
    String base = server();

    HttpResponse<String> r = post(base + "/loki/api/v1/query_range", form("query", "{app=\"api\"} |= \"x\"",
        "start", "1795132800", "end", "2026-11-20T00:30:00Z", "direction", "forward", "limit", "5"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(source.selects).containsExactly(new SelectRequest(List.of("fake"), "{app=\"api\"} |= \"x\"",
        1795132800L * S, 1795134600L * S, 5, Direction.FORWARD));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "limit=0                   | 400 | limit must be a positive value",
      "limit=6000                | 400 | max entries limit per query exceeded, limit > max_entries_limit (6000 > 5000)",
      "direction=up              | 400 | invalid direction 'up'",
      "start=1795136400&end=1795132800 | 400 | end timestamp must not be before or equal to start time",
      "start=soon                | 400 | invalid parameter \"start\": cannot parse \"soon\" to a valid timestamp",
      "start=0&end=1795132800    | 400 | the query time range exceeds the limit (query length: 498648h0m0s, limit: 721h0m0s)",
  })
  void badParametersAre400sWithThePlainTextReason(String query, int status, String message) throws Exception {
    String base = server();

    HttpResponse<String> r = get(base + "/loki/api/v1/query_range?query=" + enc("{app=\"a\"}") + "&" + query, null);

    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.body().strip()).isEqualTo(message);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(source.selects).isEmpty();
  }

  @Test
  void aSyntaxErrorIsA400WithTheParsersMessage() throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/query_range?query=" + enc("{app=\"a\""), null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("parse error at line 1, col ");
  }

  @Test
  void aLogQuerysStatisticsCountWhatTheSourcesReadNotWhatTheyReturned() throws Exception {
    source.streams.add(new TenantStream("fake", Labels.of("app", "api"), List.of(e(1795133000, "needle"))));
    source.scanned = new long[] {4000, 512_000};
    String base = server();

    HttpResponse<String> r = get(base + "/loki/api/v1/query_range?" + form("query", "{app=\"api\"} |= \"needle\"",
        "start", START, "end", END, "limit", "10"), null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode summary = JSON.readTree(r.body()).at("/data/stats/summary");
    assertThat(summary.get("totalLinesProcessed").asLong()).isEqualTo(4000);
    assertThat(summary.get("totalBytesProcessed").asLong()).isEqualTo(512_000);
    assertThat(summary.get("totalEntriesReturned").asLong()).isEqualTo(1);
  }

  @Test
  void aSourceThatSaysNothingOfItsReadingCountsWhatItReturned() throws Exception {
    source.streams.add(new TenantStream("fake", Labels.of("app", "api"), List.of(e(1795133000, "abc"))));
    String base = server();

    HttpResponse<String> r = get(base + "/loki/api/v1/query_range?" + form("query", "{app=\"api\"}",
        "start", START, "end", END, "limit", "10"), null);

    JsonNode summary = JSON.readTree(r.body()).at("/data/stats/summary");
    assertThat(summary.get("totalLinesProcessed").asLong()).isEqualTo(1);
    assertThat(summary.get("totalBytesProcessed").asLong()).isEqualTo(3);
  }

  @Test
  void aSelectorThatMatchesEverythingIsA400() throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/query_range?query=" + enc("{app=~\".*\"}"), null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("parse error");
  }

  @Test
  void aMetricRangeQueryAnswersAMatrixInSecondsAndValueStrings() throws Exception {
    source.samples.add(new TenantSamples("fake", Labels.of("app", "api"),
        new long[] {1795132810L * S, 1795132870L * S, 1795132990L * S}, new double[] {1, 1, 1}));
    String base = server();

    HttpResponse<String> r = get(base + "/loki/api/v1/query_range?" + form("query", "count_over_time({app=\"api\"}[1m])",
        "start", "1795132800", "end", "1795133000", "step", "60"), null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.at("/status").asText()).isEqualTo("success");
    assertThat(body.at("/data/resultType").asText()).isEqualTo("matrix");
    // windows (t - 1m, t] at t = 2800, 2860, 2920, 2980 (+1795130000 s): only 2860 and 2920 hold a sample
    assertThat(body.at("/data/result")).isEqualTo(JSON.readTree(
        "[{\"metric\":{\"app\":\"api\"},\"values\":[[1795132860,\"1\"],[1795132920,\"1\"]]}]"));
    assertThat(body.at("/data/stats/summary/totalLinesProcessed").asLong()).isEqualTo(3);
    assertThat(body.at("/data/stats/summary/totalBytesProcessed").asLong()).isEqualTo(42);
    assertThat(source.sampleRequests).containsExactly(new SampleRequest(List.of("fake"),
        "count_over_time({app=\"api\"}[1m])", null, 1795132740L * S + 1, 1795133000L * S + 1, 60 * S,
        1795132800L * S));
  }

  @Test
  void aMetricInstantQueryAnswersAVectorAndPushesTheSumDown() throws Exception {
    source.samples.add(new TenantSamples("fake", Labels.EMPTY,
        new long[] {1795132810L * S, 1795132870L * S, 1795132990L * S}, new double[] {1, 1, 2.5}));
    String base = server();

    HttpResponse<String> r = get(base + "/loki/api/v1/query?" + form("query",
        "sum(count_over_time({app=\"api\"}[5m]))", "time", "1795133000"), null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.at("/data/resultType").asText()).isEqualTo("vector");
    assertThat(body.at("/data/result")).isEqualTo(JSON.readTree("[{\"metric\":{},\"value\":[1795133000,\"4.5\"]}]"));
    assertThat(source.sampleRequests).singleElement().satisfies(q -> {
      assertThat(q.grouping()).isEqualTo(new Grouping(false, List.of()));
      assertThat(q.startNanos()).isEqualTo(1795132700L * S + 1);
    });
  }

  @Test
  void grafanasHealthCheckGetsTwo() throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/query?" + form("query", "vector(1)+vector(1)",
        "time", "1795133000"), null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).at("/data/result"))
        .isEqualTo(JSON.readTree("[{\"metric\":{},\"value\":[1795133000,\"2\"]}]"));
    assertThat(source.sampleRequests).isEmpty();
  }

  @Test
  void aNumberIsAScalarWhoseTimeIsInMilliseconds() throws Exception {
    // the conformance kit's binary-022 records Loki answering [1795136400000,"0"] for a scalar
    HttpResponse<String> r = get(server() + "/loki/api/v1/query?" + form("query", "2 ^ 3 * 2 % 5",
        "time", "1795136400.25"), null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode data = JSON.readTree(r.body()).at("/data");
    assertThat(data.at("/resultType").asText()).isEqualTo("scalar");
    assertThat(data.at("/result")).isEqualTo(JSON.readTree("[1795136400250,\"1\"]"));
  }

  @Test
  void aNumberOverARangeIsAMatrixWithOneSeriesWithoutLabels() throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/query_range?" + form("query", "-1 / 0",
        "start", "1795132800", "end", "1795132801.5", "step", "0.5"), null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).at("/data/result")).isEqualTo(JSON.readTree("[{\"metric\":{},\"values\":"
        + "[[1795132800,\"NaN\"],[1795132800.5,\"NaN\"],[1795132801,\"NaN\"],[1795132801.5,\"NaN\"]]}]"));
  }

  @Test
  void anEntryInErrorFailsTheMetricQueryWithLokisText() throws Exception {
    source.samples.add(new TenantSamples("fake", Labels.of("__error__", "SampleExtractionErr", "app", "api"),
        new long[] {1795132810L * S}, new double[] {0}));

    HttpResponse<String> r = get(server() + "/loki/api/v1/query_range?" + form("query",
        "max_over_time({app=\"api\"} | logfmt | unwrap duration [10m])", "start", "1795132800", "end", "1795133400",
        "step", "300"), null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("pipeline error: 'SampleExtractionErr' for series: "
        + "'{__error__=\"SampleExtractionErr\", app=\"api\"}'.\nUse a label filter to intentionally skip this error.");
  }

  @Test
  void aLogQueryOnTheInstantEndpointIsA400() throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/query?query=" + enc("{app=\"a\"}"), null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body().strip()).isEqualTo(
        "log queries are not supported as an instant query type, please change your query to a range query type");
  }

  @Test
  void labelsAreSortedAndDistinct() throws Exception {
    source.labels.addAll(List.of("pod", "app", "env", "app"));

    HttpResponse<String> r = get(server() + "/loki/api/v1/labels?start=" + START + "&end=" + END, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"status\":\"success\",\"data\":[\"app\",\"env\",\"pod\"]}"));
    assertThat(source.labelRequests).containsExactly(
        new LabelsRequest(List.of("fake"), 1795132800L * S, 1795136400L * S, null, null));
  }

  @Test
  void labelValuesPassTheNameAndSelector() throws Exception {
    source.labels.addAll(List.of("prod", "dev"));

    HttpResponse<String> r = get(server() + "/loki/api/v1/label/env/values?start=" + START + "&end=" + END
        + "&query=" + enc("{app=\"api\"}"), null);

    assertThat(JSON.readTree(r.body()).get("data")).isEqualTo(JSON.readTree("[\"dev\",\"prod\"]"));
    assertThat(source.labelRequests).containsExactly(
        new LabelsRequest(List.of("fake"), 1795132800L * S, 1795136400L * S, "env", "{app=\"api\"}"));
  }

  @Test
  void anInvalidLabelsSelectorIsA400() throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/labels?query=" + enc("{app="), null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(source.labelRequests).isEmpty();
  }

  @Test
  void seriesNeedsAtLeastOneMatch() throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/series?start=" + START, null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body().strip()).isEqualTo("0 matcher groups supplied");
  }

  @Test
  void seriesTakesRepeatedMatchesByGetOrPostAndAnswersDistinctSortedLabelSets() throws Exception {
    source.series.add(new TenantSeries("fake", Labels.of("app", "web")));
    source.series.add(new TenantSeries("fake", Labels.of("app", "api")));
    source.series.add(new TenantSeries("fake", Labels.of("app", "web")));
    String base = server();

    HttpResponse<String> byGet = get(base + "/loki/api/v1/series?" + form("match[]", "{app=\"api\"}",
        "match[]", "{app=\"web\"}", "start", START, "end", END), null);
    HttpResponse<String> byPost = post(base + "/loki/api/v1/series", form("match[]", "{app=\"api\"}",
        "match[]", "{app=\"web\"}", "start", START, "end", END));

    JsonNode expected = JSON.readTree("{\"status\":\"success\",\"data\":[{\"app\":\"api\"},{\"app\":\"web\"}]}");
    assertThat(JSON.readTree(byGet.body())).isEqualTo(expected);
    assertThat(JSON.readTree(byPost.body())).isEqualTo(expected);
    assertThat(source.seriesRequests).hasSize(2).allSatisfy(req ->
        assertThat(req).isEqualTo(new SeriesRequest(List.of("fake"), 1795132800L * S, 1795136400L * S,
            List.of("{app=\"api\"}", "{app=\"web\"}"))));
  }

  @Test
  void queriesAreRefusedUntilDiscoveryIsReady() throws Exception {
    ready.set(false);

    HttpResponse<String> r = get(server() + "/loki/api/v1/query_range?query=" + enc("{app=\"a\"}"), null);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(source.selects).isEmpty();
  }

  @Test
  void theSourceIsAskedOnlyForTheCallersTenantAndItsOtherTenantsAnswersAreDropped() throws Exception {
    source.streams.add(new TenantStream("team-a", Labels.of("app", "api"), List.of(e(1795133000, "mine"))));
    source.streams.add(new TenantStream("team-b", Labels.of("app", "api"), List.of(e(1795133001, "not mine"))));
    source.series.add(new TenantSeries("team-b", Labels.of("app", "secret")));
    String base = server(true, false);

    HttpResponse<String> r = get(base + "/loki/api/v1/query_range?" + form("query", "{app=\"api\"}", "start", START,
        "end", END), "team-a");
    HttpResponse<String> s = get(base + "/loki/api/v1/series?" + form("match[]", "{app=~\".+\"}"), "team-a");

    assertThat(source.selects).extracting(SelectRequest::tenants).containsExactly(List.of("team-a"));
    assertThat(source.seriesRequests).extracting(SeriesRequest::tenants).containsExactly(List.of("team-a"));
    assertThat(JSON.readTree(r.body()).at("/data/result/0/values")).isEqualTo(
        JSON.readTree("[[\"1795133000000000000\",\"mine\"]]"));
    assertThat(JSON.readTree(r.body()).at("/data/result")).hasSize(1);
    assertThat(JSON.readTree(s.body()).get("data")).isEmpty();
  }

  @Test
  void withAuthEnabledAQueryWithoutTenantIsA401() throws Exception {
    HttpResponse<String> r = get(server(true, false) + "/loki/api/v1/labels", null);

    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void severalTenantsAreRefusedUnlessMultiTenantQueriesAreEnabled() throws Exception {
    HttpResponse<String> r = get(server(true, false) + "/loki/api/v1/labels", "a|b");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body().strip()).isEqualTo("multiple org IDs present");
  }

  @Test
  void aMultiTenantQueryLabelsEveryStreamAndSeriesWithItsTenant() throws Exception {
    source.streams.add(new TenantStream("b", Labels.of("app", "api"), List.of(e(1795133000, "from b"))));
    source.streams.add(new TenantStream("a", Labels.of("app", "api"), List.of(e(1795133000, "from a"))));
    source.series.add(new TenantSeries("a", Labels.of("app", "api")));
    String base = server(true, true);

    HttpResponse<String> r = get(base + "/loki/api/v1/query_range?" + form("query", "{app=\"api\"}", "start", START,
        "end", END), "b|a");
    HttpResponse<String> s = get(base + "/loki/api/v1/series?" + form("match[]", "{app=\"api\"}"), "b|a");

    assertThat(source.selects).extracting(SelectRequest::tenants).containsExactly(List.of("a", "b"));
    JsonNode result = JSON.readTree(r.body()).at("/data/result");
    assertThat(result.at("/0/stream")).isEqualTo(JSON.readTree("{\"__tenant_id__\":\"a\",\"app\":\"api\"}"));
    assertThat(result.at("/0/values/0/1").asText()).isEqualTo("from a");
    assertThat(result.at("/1/stream")).isEqualTo(JSON.readTree("{\"__tenant_id__\":\"b\",\"app\":\"api\"}"));
    assertThat(JSON.readTree(s.body()).get("data")).isEqualTo(
        JSON.readTree("[{\"__tenant_id__\":\"a\",\"app\":\"api\"}]"));
  }

  @Test
  void buildInfoAnswersLokisFields() throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/status/buildinfo", null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("version").asText()).isEqualTo("dev");
    assertThat(body.has("revision") && body.has("branch") && body.has("buildUser") && body.has("buildDate")
        && body.has("goVersion")).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', value = {
      "{app = \"api\"}|=\"err\" => {app=\"api\"} |= \"err\"",
      "{app=~`a.*`} != `x` => {app=~\"a.*\"} != \"x\"",
      "{app=\"api\",env!=\"dev\"} => {app=\"api\", env!=\"dev\"}",
      "{app=\"api\"}|json|level=\"error\" => {app=\"api\"} | json | level=\"error\"",
  })
  void formatQueryAnswersTheQueryInCanonicalForm(String query, String formatted) throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/format_query?" + form("query", query), null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(
        JSON.createObjectNode().put("status", "success").put("data", formatted));
  }

  @Test
  void formatQueryRefusesAQueryThatDoesNotParse() throws Exception {
    HttpResponse<String> r = get(server() + "/loki/api/v1/format_query?" + form("query", "{app=\"api\""), null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("parse error at line 1, col ");
  }

  @Test
  void detectedLabelsCountTheDistinctValuesOfEachLabelOfTheCallersSeries() throws Exception {
    source.series.add(new TenantSeries("fake", Labels.of("app", "api", "env", "prod")));
    source.series.add(new TenantSeries("fake", Labels.of("app", "api", "env", "dev")));
    source.series.add(new TenantSeries("fake", Labels.of("app", "web", "env", "prod", "pod", "p-1")));
    source.series.add(new TenantSeries("someone-else", Labels.of("secret", "x")));

    HttpResponse<String> r = get(server() + "/loki/api/v1/detected_labels?" + form("query", "{app=~\".+\"}",
        "start", START, "end", END), null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("""
        {"detectedLabels":[{"label":"app","cardinality":2},{"label":"env","cardinality":2},
                           {"label":"pod","cardinality":1}]}"""));
    assertThat(source.seriesRequests).containsExactly(new SeriesRequest(List.of("fake"), 1795132800L * S,
        1795136400L * S, List.of("{app=~\".+\"}")));
  }

  @Test
  void detectedFieldsAndTheirValuesComeFromTheNewestLinesOfTheQuery() throws Exception {
    source.streams.add(new TenantStream("fake", Labels.of("app", "api"),
        List.of(e(1795133000, "level=info status=200"), e(1795132900, "level=error status=500"))));
    String base = server();

    HttpResponse<String> fields = get(base + "/loki/api/v1/detected_fields?" + form("query", "{app=\"api\"}",
        "start", START, "end", END, "line_limit", "50"), null);
    HttpResponse<String> values = get(base + "/loki/api/v1/detected_field/level/values?" + form("query",
        "{app=\"api\"}", "start", START, "end", END, "limit", "10"), null);

    assertThat(JSON.readTree(fields.body())).isEqualTo(JSON.readTree("""
        {"fields":[{"label":"level","type":"string","cardinality":2,"parsers":["logfmt"]},
                   {"label":"status","type":"int","cardinality":2,"parsers":["logfmt"]}],"limit":1000}"""));
    assertThat(JSON.readTree(values.body())).isEqualTo(JSON.readTree("{\"values\":[\"info\",\"error\"],\"limit\":10}"));
    assertThat(source.selects.get(0)).isEqualTo(new SelectRequest(List.of("fake"), "{app=\"api\"}",
        1795132800L * S, 1795136400L * S, 50, Direction.BACKWARD));
  }

  private HttpResponse<String> get(String url, String tenant) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String formBody) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(formBody)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String form(String... kv) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      parts.add(enc(kv[i]) + "=" + enc(kv[i + 1]));
    }
    return String.join("&", parts);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Entry e(long seconds, String line) {
    return new Entry(seconds * S, line);
  }

  /** A source with canned answers that records what it was asked. */
  private static final class CannedSource implements LogSource {
    final List<TenantStream> streams = new CopyOnWriteArrayList<>();
    final List<String> labels = new CopyOnWriteArrayList<>();
    final List<TenantSeries> series = new CopyOnWriteArrayList<>();
    final List<SelectRequest> selects = new CopyOnWriteArrayList<>();
    final List<LabelsRequest> labelRequests = new CopyOnWriteArrayList<>();
    final List<SeriesRequest> seriesRequests = new CopyOnWriteArrayList<>();
    final List<TenantSamples> samples = new CopyOnWriteArrayList<>();
    final List<SampleRequest> sampleRequests = new CopyOnWriteArrayList<>();
    /** What select reports as read before the pipeline: entries, bytes (0, 0: says nothing). */
    volatile long[] scanned = {0, 0};

    @Override
    public SelectResult select(SelectRequest request) {
      selects.add(request);
      return new SelectResult(streams, 1, scanned[0], scanned[1]);
    }

    @Override
    public List<String> labels(LabelsRequest request) {
      labelRequests.add(request);
      return labels;
    }

    @Override
    public List<TenantSeries> series(SeriesRequest request) {
      seriesRequests.add(request);
      return series;
    }

    @Override
    public SampleResult samples(SampleRequest request) {
      sampleRequests.add(request);
      return new SampleResult(samples, 1, 3 * samples.size(), 42 * samples.size());
    }
  }
}
