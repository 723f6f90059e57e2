package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.schemas.labels.Labels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The log-query cases of the conformance kit, evaluated with {@link StreamSelector} and
 * {@link LogPipeline} over the kit's data set and compared with the answers recorded from Loki
 * v3.7.6 (test resources copied from {@code shared/conformance}): same streams (label sets,
 * including parsed labels, structured metadata and error labels) with the same lines in the same
 * order. The time range, limit, direction and the de-duplication of equal entries (same output
 * stream, timestamp and processed line) are applied here as the querier must.
 */
class LogQueryConformanceTest {
  /** One pushed entry. */
  record Pushed(long ts, String line, Labels metadata, int seq) {}

  /** One entry after the pipeline. */
  record Out(long ts, String line, Labels labels, int seq) {}

  private static final Map<Labels, List<Pushed>> STREAMS = new LinkedHashMap<>();

  @BeforeAll
  static void loadDataset() throws IOException {
    if (!STREAMS.isEmpty()) {
      return;
    }
    int seq = 0;
    try (InputStream in = new GZIPInputStream(resource("conformance/dataset.jsonl.gz"));
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String body;
      while ((body = r.readLine()) != null) {
        Json.Obj push = (Json.Obj) Json.parse(body);
        for (Json.Node s : ((Json.Arr) push.get("streams")).items()) {
          Json.Obj stream = (Json.Obj) s;
          Labels labels = labels((Json.Obj) stream.get("stream"));
          List<Pushed> entries = STREAMS.computeIfAbsent(labels, k -> new ArrayList<>());
          for (Json.Node v : ((Json.Arr) stream.get("values")).items()) {
            List<Json.Node> t = ((Json.Arr) v).items();
            long ts = Long.parseLong(((Json.Str) t.get(0)).value());
            String line = ((Json.Str) t.get(1)).value();
            Labels sm = t.size() > 2 ? labels((Json.Obj) t.get(2)) : Labels.EMPTY;
            boolean duplicate = entries.stream().anyMatch(p -> p.ts() == ts && p.line().equals(line));
            if (!duplicate) {
              entries.add(new Pushed(ts, line, sm, seq++));
            }
          }
        }
      }
    }
  }

  static Stream<String> cases() throws IOException {
    Json.Arr cases = (Json.Arr) Json.parse(read("conformance/log-cases.json"));
    return cases.items().stream().map(c -> ((Json.Str) ((Json.Obj) c).get("id")).value());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesLokisAnswer(String id) throws IOException {
    Json.Obj params = caseParams(id);
    String query = param(params, "query", null);
    long start = Long.parseLong(param(params, "start", "0"));
    long end = Long.parseLong(param(params, "end", "0"));
    int limit = Integer.parseInt(param(params, "limit", "100"));
    boolean forward = param(params, "direction", "backward").equals("forward");

    LogSelectorExpr expr = (LogSelectorExpr) LogQL.parse(query);
    StreamSelector selector = StreamSelector.of(expr.matchers());
    LogPipeline pipeline = LogPipeline.of(expr);
    List<Out> out = new ArrayList<>();
    STREAMS.forEach((labels, entries) -> {
      if (!selector.matches(labels)) {
        return;
      }
      StreamPipeline sp = pipeline.forStream(labels);
      for (Pushed p : entries) {
        if (p.ts() >= start && p.ts() < end) {
          LogLine l = sp.process(p.ts(), p.line(), p.metadata());
          if (l != null) {
            out.add(new Out(p.ts(), l.line(), l.labels(), p.seq()));
          }
        }
      }
    });
    Comparator<Out> order = Comparator.comparingLong(Out::ts).thenComparingInt(Out::seq);
    out.sort(forward ? order : order.reversed());
    // as Loki's iterators do, entries of one output stream with equal timestamp and line are one
    java.util.Set<List<Object>> seen = new java.util.HashSet<>();
    out.removeIf(o -> !seen.add(List.of(o.labels(), o.ts(), o.line())));
    Map<Map<String, String>, List<List<String>>> actual = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Out o : out.subList(0, Math.min(limit, out.size()))) {
      actual.computeIfAbsent(o.labels().toMap(), k -> new ArrayList<>()).add(List.of(Long.toString(o.ts()), o.line()));
    }

    Map<Map<String, String>, List<List<String>>> expected = new TreeMap<>(Comparator.comparing(Object::toString));
    Json.Obj answer = (Json.Obj) Json.parse(read("conformance/expected/" + id + ".json"));
    Json.Obj data = (Json.Obj) ((Json.Obj) answer.get("body")).get("data");
    for (Json.Node s : ((Json.Arr) data.get("result")).items()) {
      Json.Obj stream = (Json.Obj) s;
      List<List<String>> values = new ArrayList<>();
      for (Json.Node v : ((Json.Arr) stream.get("values")).items()) {
        List<Json.Node> t = ((Json.Arr) v).items();
        values.add(List.of(((Json.Str) t.get(0)).value(), ((Json.Str) t.get(1)).value()));
      }
      expected.put(labels((Json.Obj) stream.get("stream")).toMap(), values);
    }
    List<Map<String, String>> onlyActual = actual.keySet().stream().filter(k -> !expected.containsKey(k)).toList();
    List<Map<String, String>> onlyExpected = expected.keySet().stream().filter(k -> !actual.containsKey(k)).toList();
    assertThat(actual.keySet()).as("stream label sets; unexpected %s; missing %s", onlyActual, onlyExpected).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((labels, values) -> assertThat(actual.get(labels)).as("entries of %s", labels).isEqualTo(values));
  }

  private static Json.Obj caseParams(String id) throws IOException {
    Json.Arr cases = (Json.Arr) Json.parse(read("conformance/log-cases.json"));
    for (Json.Node c : cases.items()) {
      Json.Obj o = (Json.Obj) c;
      if (((Json.Str) o.get("id")).value().equals(id)) {
        return (Json.Obj) o.get("params");
      }
    }
    throw new IllegalArgumentException(id);
  }

  private static String param(Json.Obj params, String name, String dflt) {
    Json.Node n = params.get(name);
    return n == null ? dflt : ((Json.Str) n).value();
  }

  private static Labels labels(Json.Obj o) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < o.keys().size(); i++) {
      m.put(o.keys().get(i), ((Json.Str) o.values().get(i)).value());
    }
    return Labels.of(m);
  }

  private static InputStream resource(String path) {
    InputStream in = LogQueryConformanceTest.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + path);
    }
    return in;
  }

  private static String read(String path) throws IOException {
    try (InputStream in = resource(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
