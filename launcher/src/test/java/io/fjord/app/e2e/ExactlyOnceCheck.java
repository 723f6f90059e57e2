package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The exactly-once check of a run of {@link AckingPushers}: waits until query_range returns every
 * acknowledged line, then asserts that no line comes back twice, that nothing comes back that was
 * never pushed, and that count_over_time counts exactly the lines query_range returns (per client).
 * query_range is read in windows of whole batches (bounded at half a millisecond, where no line
 * lies, so that whether an end is inclusive does not matter), each window far below the page limit,
 * so that no answer is cut by the limit. Failures name the lines, their streams and timestamps.
 * Not thread-safe.
 */
final class ExactlyOnceCheck {
  static final int PAGE_LIMIT = 50_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String querier;
  private final String app;
  private final long start;
  private final int batches;
  private final int clients;

  /** One returned entry: its stream's labels and its timestamp. */
  record Seen(String stream, long ts) {}

  ExactlyOnceCheck(String querierUrl, String app, long start, int batches, int clients) {
    this.querier = querierUrl;
    this.app = app;
    this.start = start;
    this.batches = batches;
    this.clients = clients;
  }

  /**
   * @return a one-line summary for the test's output
   */
  String verify(Set<String> acknowledged, Set<String> unanswered, Duration atMost) {
    Map<String, List<Seen>> seen = new HashMap<>();
    await("every acknowledged line returned by query_range").atMost(atMost).pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions().untilAsserted(() -> {
          Map<String, List<Seen>> now = queryAll();
          seen.clear();
          seen.putAll(now);
          List<String> missing = acknowledged.stream().filter(l -> !now.containsKey(l)).sorted().toList();
          assertThat(missing).as("%d acknowledged lines missing, e.g. %s", missing.size(),
              missing.subList(0, Math.min(20, missing.size()))).isEmpty();
        });
    Map<String, List<Seen>> doubled = seen.entrySet().stream().filter(e -> e.getValue().size() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    assertThat(doubled).as("%d lines returned more than once, e.g. %s", doubled.size(),
        doubled.entrySet().stream().limit(20).toList()).isEmpty();
    List<String> strangers = seen.keySet().stream()
        .filter(l -> !acknowledged.contains(l) && !unanswered.contains(l)).sorted().limit(20).toList();
    assertThat(strangers).as("lines returned that no client pushed").isEmpty();

    Map<String, Long> returnedPerClient = new TreeMap<>();
    for (String line : seen.keySet()) {
      returnedPerClient.merge(line.split(" ")[1], 1L, Long::sum);
    }
    await("count_over_time equals the lines returned").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> assertThat(countPerClient()).isEqualTo(returnedPerClient));
    long extra = seen.size() - acknowledged.size();
    return String.format("%d lines acknowledged, %d unanswered, %d returned exactly once (%d of them unanswered), "
        + "count_over_time per client %s", acknowledged.size(), unanswered.size(), seen.size(), extra,
        returnedPerClient);
  }

  /** Every entry query_range returns for the app, by line, read in windows of whole batches. */
  private Map<String, List<Seen>> queryAll() throws Exception {
    Map<String, List<Seen>> out = new HashMap<>();
    for (int b = 0; b < batches; b += windowBatches()) {
      queryWindow(b, out);
    }
    return out;
  }

  /** Batches per query_range window: at most half the page limit of lines. */
  int windowBatches() {
    return PAGE_LIMIT / (2 * clients * AckingPushers.LINES_PER_BATCH);
  }

  /** Adds what query_range returns for the window of batches that begins with {@code firstBatch}. */
  void queryWindow(int firstBatch, Map<String, List<Seen>> out) throws Exception {
    long from = start + firstBatch * 1_000_000L - 500_000;
    long to = start + (long) (firstBatch + windowBatches()) * 1_000_000L - 500_000;
    JsonNode body = get("/loki/api/v1/query_range", Map.of("query", "{app=\"" + app + "\"}", "direction",
        "forward", "limit", String.valueOf(PAGE_LIMIT), "start", String.valueOf(from), "end", String.valueOf(to)));
    int n = 0;
    for (JsonNode stream : body.at("/data/result")) {
      String labels = stream.get("stream").toString();
      for (JsonNode v : stream.get("values")) {
        out.computeIfAbsent(v.get(1).asText(), k -> new ArrayList<>(1)).add(new Seen(labels, v.get(0).asLong()));
        n++;
      }
    }
    if (n >= PAGE_LIMIT) {
      throw new AssertionError(
          "window of batches " + firstBatch + ".. returned the page limit: cannot tell what was cut");
    }
  }

  /** sum by (client) (count_over_time(...)) over a range that covers every pushed line. */
  private Map<String, Long> countPerClient() throws Exception {
    long at = start + (batches + 1) * 1_000_000L;
    JsonNode body = get("/loki/api/v1/query", Map.of("query",
        "sum by (client) (count_over_time({app=\"" + app + "\"}[1h]))", "time", String.valueOf(at)));
    Map<String, Long> out = new TreeMap<>();
    for (JsonNode r : body.at("/data/result")) {
      out.put(r.at("/metric/client").asText(), Long.parseLong(r.at("/value/1").asText()));
    }
    return out;
  }

  private JsonNode get(String path, Map<String, String> params) throws Exception {
    String q = params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(querier + path + "?" + q))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
