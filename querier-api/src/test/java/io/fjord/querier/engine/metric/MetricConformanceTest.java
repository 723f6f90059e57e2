package io.fjord.querier.engine.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.ApiException;
import io.fjord.logql.LogQL;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.eval.ExtractedSample;
import io.fjord.logql.eval.SampleExtractor;
import io.fjord.logql.eval.StreamSampleExtractor;
import io.fjord.logql.eval.StreamSelector;
import io.fjord.querier.MutableClock;
import io.fjord.querier.engine.QueryResult;
import io.fjord.querier.engine.QueryService;
import io.fjord.querier.engine.RangeQuery;
import io.fjord.querier.engine.RequestLimits;
import io.fjord.querier.http.LokiJson;
import io.fjord.querier.http.Params;
import io.fjord.querier.http.RequestParser;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The metric cases of the conformance kit, answered in-process by the query service and the metric
 * engine over a source that samples the kit's data set with {@link SampleExtractor} (as an
 * ingester does), and compared with the answers Loki v3.7.6 gave (test resources copied from
 * {@code shared/conformance}: data set, cases, expected answers). Compared as the kit's
 * {@code check.py} compares: HTTP status; for a 200 the result type and the result, series as a
 * set keyed by labels, timestamps as numbers, values as floats with relative tolerance 1e-9 (NaN
 * equals NaN).
 */
class MetricConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Labels, List<Pushed>> STREAMS = new LinkedHashMap<>();

  /** One stored entry (exact duplicates, same timestamp and line in a stream, are stored once). */
  record Pushed(long ts, String line, Labels metadata) {}

  @BeforeAll
  static void loadDataset() throws IOException {
    if (!STREAMS.isEmpty()) {
      return;
    }
    Map<Labels, Set<String>> seen = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(resource("conformance/dataset.jsonl.gz"))) {
      for (String body : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (body.isBlank()) {
          continue;
        }
        for (JsonNode stream : JSON.readTree(body).get("streams")) {
          Labels labels = labels(stream.get("stream"));
          List<Pushed> entries = STREAMS.computeIfAbsent(labels, k -> new ArrayList<>());
          Set<String> keys = seen.computeIfAbsent(labels, k -> new HashSet<>());
          for (JsonNode v : stream.get("values")) {
            long ts = Long.parseLong(v.get(0).asText());
            String line = v.get(1).asText();
            Labels metadata = v.size() > 2 ? labels(v.get(2)) : Labels.EMPTY;
            if (keys.add(ts + "\u0000" + line)) {
              entries.add(new Pushed(ts, line, metadata));
            }
          }
        }
      }
    }
    STREAMS.values().forEach(l -> l.sort(Comparator.comparingLong(Pushed::ts)));
  }

  static Stream<String> cases() throws IOException {
    List<String> ids = new ArrayList<>();
    for (JsonNode c : JSON.readTree(resource("conformance/cases.json"))) {
      String path = c.get("path").asText();
      String query = c.at("/params/query").asText("");
      if ((path.endsWith("/query") || path.endsWith("/query_range")) && !query.startsWith("{")) {
        ids.add(c.get("id").asText());
      }
    }
    return ids.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersAsLokiDid(String id) throws IOException {
    JsonNode c = caseById(id);
    JsonNode expected = JSON.readTree(resource("conformance/expected/" + id + ".json"));
    Map<String, String> params = new LinkedHashMap<>();
    c.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    QueryService service = new QueryService(new DatasetSource(), new LokiMetricEngine(new DatasetSource(), 5000,
        new MutableClock(Instant.EPOCH)), new RequestLimits(LimitsConfig.defaults()), new MutableClock(Instant.EPOCH));

    int status;
    JsonNode body = null;
    String error = null;
    try {
      QueryResult result;
      Params p = Params.of(params);
      if (c.get("path").asText().endsWith("/query_range")) {
        RangeQuery q = RequestParser.rangeQuery(p, 0);
        result = service.rangeQuery(List.of("fake"), q);
      } else {
        result = service.instantQuery(List.of("fake"), p.get("query"), RequestParser.time(p, 0), RequestParser.limit(p));
      }
      body = JSON.readTree(LokiJson.queryResult(result));
      status = 200;
    } catch (ApiException e) {
      status = e.status();
      error = e.getMessage();
    }

    int expectedStatus = expected.get("status").asInt();
    if (c.get("group").asText().equals("invalid")) {
      assertThat(status).as("status (%s)", error).isBetween(400, 499);
      return;
    }
    assertThat(status).as("status (%s)", error).isEqualTo(expectedStatus);
    if (status != 200) {
      return;
    }
    JsonNode want = expected.at("/body/data");
    JsonNode got = body.get("data");
    assertThat(body.get("status").asText()).isEqualTo("success");
    assertThat(got.get("resultType").asText()).isEqualTo(want.get("resultType").asText());
    switch (want.get("resultType").asText()) {
      case "matrix" -> compareSeries(bySeries(want.get("result"), "values"), bySeries(got.get("result"), "values"));
      case "vector" -> compareSeries(bySeries(want.get("result"), "value"), bySeries(got.get("result"), "value"));
      case "scalar" -> compareSamples("scalar", List.of(want.get("result")), List.of(got.get("result")));
      default -> fail("unexpected result type " + want.get("resultType"));
    }
  }

  private static Map<String, List<JsonNode>> bySeries(JsonNode result, String field) {
    Map<String, List<JsonNode>> out = new TreeMap<>();
    for (JsonNode s : result) {
      List<JsonNode> samples = new ArrayList<>();
      if (field.equals("value")) {
        samples.add(s.get("value"));
      } else {
        s.get("values").forEach(samples::add);
      }
      out.put(labels(s.get("metric")).toString(), samples);
    }
    return out;
  }

  private static void compareSeries(Map<String, List<JsonNode>> want, Map<String, List<JsonNode>> got) {
    assertThat(got.keySet()).as("series").containsExactlyElementsOf(want.keySet());
    want.forEach((labels, samples) -> compareSamples(labels, samples, got.get(labels)));
  }

  private static void compareSamples(String series, List<JsonNode> want, List<JsonNode> got) {
    List<String> wantTimes = want.stream().map(p -> p.get(0).asText()).toList();
    List<String> gotTimes = got.stream().map(p -> p.get(0).asText()).toList();
    assertThat(gotTimes.stream().map(Double::parseDouble).toList()).as("timestamps of %s", series)
        .isEqualTo(wantTimes.stream().map(Double::parseDouble).toList());
    for (int i = 0; i < want.size(); i++) {
      double w = value(want.get(i).get(1).asText());
      double g = value(got.get(i).get(1).asText());
      boolean same = Double.isNaN(w) ? Double.isNaN(g)
          : Double.isInfinite(w) ? w == g : w == g || Math.abs(w - g) <= 1e-9 * Math.max(Math.abs(w), Math.abs(g));
      assertThat(same).as("%s at %s: expected %s, got %s", series, wantTimes.get(i), want.get(i).get(1), got.get(i).get(1))
          .isTrue();
    }
  }

  private static double value(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  private static JsonNode caseById(String id) throws IOException {
    for (JsonNode c : JSON.readTree(resource("conformance/cases.json"))) {
      if (c.get("id").asText().equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException(id);
  }

  private static Labels labels(JsonNode o) {
    Map<String, String> m = new LinkedHashMap<>();
    o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return Labels.of(m);
  }

  private static InputStream resource(String path) {
    InputStream in = MetricConformanceTest.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new UncheckedIOException(new IOException("missing test resource " + path));
    }
    return in;
  }

  /** The data set as one tenant's ingester would sample it; log queries are not its business here. */
  private static final class DatasetSource implements LogSource {
    @Override
    public SampleResult samples(SampleRequest r) {
      RangeAggregationExpr expr = (RangeAggregationExpr) LogQL.parse(r.query());
      SampleExtractor extractor = SampleExtractor.of(expr,
          r.grouping() != null ? Optional.of(r.grouping()) : expr.grouping());
      StreamSelector selector = StreamSelector.of(expr.range().selector().matchers());
      Map<Labels, List<long[]>> times = new LinkedHashMap<>();
      Map<Labels, List<Double>> values = new LinkedHashMap<>();
      STREAMS.forEach((labels, entries) -> {
        if (!selector.matches(labels)) {
          return;
        }
        StreamSampleExtractor x = extractor.forStream(labels);
        for (Pushed p : entries) {
          if (p.ts() >= r.startNanos() && p.ts() < r.endNanos()) {
            ExtractedSample s = x.process(p.ts(), p.line(), p.metadata());
            if (s != null) {
              // summed per bucket below, as an ingester does when asked
              times.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(new long[] {r.bucketOf(p.ts())});
              values.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(s.value());
            }
          }
        }
      });
      List<TenantSamples> out = new ArrayList<>();
      times.forEach((labels, ts) -> {
        List<Double> vs = values.get(labels);
        Integer[] order = new Integer[ts.size()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingLong(i -> ts.get(i)[0]));
        long[] t = new long[order.length];
        double[] v = new double[order.length];
        int n = 0;
        for (int i = 0; i < order.length; i++) {
          long at = ts.get(order[i])[0];
          if (r.bucketWidthNanos() > 0 && n > 0 && t[n - 1] == at) {
            v[n - 1] += vs.get(order[i]);
          } else {
            t[n] = at;
            v[n++] = vs.get(order[i]);
          }
        }
        out.add(new TenantSamples("fake", labels, java.util.Arrays.copyOf(t, n), java.util.Arrays.copyOf(v, n)));
      });
      return new SampleResult(out, 1);
    }

    @Override
    public SelectResult select(SelectRequest request) {
      throw new UnsupportedOperationException("log queries are not part of this test");
    }

    @Override
    public List<String> labels(LabelsRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<TenantSeries> series(SeriesRequest request) {
      throw new UnsupportedOperationException();
    }
  }
}
