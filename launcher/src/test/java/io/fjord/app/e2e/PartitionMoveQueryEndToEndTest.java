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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The querier does not lose sight of a partition while it moves (issue 4): with two ingester child
 * JVMs holding pushed lines in memory, one is killed with SIGKILL, and queries go on while the dead
 * member is still announced (until querier.ingester_expiry) and the survivor takes its partitions
 * over and replays them. Every answer is then either complete (count_over_time and query_range give
 * exactly the pushed lines) or a 503 naming the partitions not served (only if querier.partition_wait
 * ran out): never a 502 for the dead ingester, never a short answer.
 */
class PartitionMoveQueryEndToEndTest {
  private static final int STREAMS = 40; // spread over the 4 partitions: each gets some
  private static final int LINES_PER_STREAM = 100;
  private static final int LINES = STREAMS * LINES_PER_STREAM;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One round of queries after the kill: both complete, or which failed how; how long it took. */
  private record Round(long count, int returned, String failure, long millis) {}

  @Test
  void queriesAnswerCompletelyOrWith503WhileADeadIngestersPartitionsMove(
      // kept when the test fails: the ingesters' logs tell what happened
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path root) throws Exception {
    try (IngesterCluster cluster = new IngesterCluster(root)) {
      cluster.addIngester("ingester-0");
      cluster.addIngester("ingester-1");
      cluster.awaitAllReady(Duration.ofSeconds(90));
      long start = Instant.now().toEpochMilli() * 1_000_000;
      for (int s = 0; s < STREAMS; s++) {
        push(cluster.distributorUrl(), s, start);
      }
      String querier = cluster.querierUrl();
      await("all pushed lines queryable before the kill").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> count(querier, start) == LINES && returned(querier, start) == LINES);

      cluster.kill("ingester-0");
      long killed = System.nanoTime();
      List<Round> rounds = new ArrayList<>();
      // observe past the dead member's expiry (querier.ingester_expiry 15s; the group's session
      // timeout is 6s), until a round after that is complete
      await("a complete answer after the dead member expired (rounds so far: " + rounds + ")")
          .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Round r = round(querier, start);
            rounds.add(r);
            assertThat(r.failure() == null || r.failure().startsWith("503"))
                .as("round %d after the kill: %s (ingester-1 log %s)", rounds.size(), r, cluster.logOf("ingester-1"))
                .isTrue();
            if (r.failure() != null) {
              assertThat(r.failure()).as("a 503 names the partitions not served").contains("partitions [");
              return false;
            }
            assertThat(r.count()).as("count_over_time after the kill, round %d", rounds.size()).isEqualTo(LINES);
            assertThat(r.returned()).as("query_range after the kill, round %d", rounds.size()).isEqualTo(LINES);
            return System.nanoTime() - killed > Duration.ofSeconds(20).toNanos();
          });
      long complete = rounds.stream().filter(r -> r.failure() == null).count();
      // the first rounds wait while the survivor takes the dead member's partitions over and replays them
      System.out.printf("after kill -9: %d query rounds, %d complete, %d answered 503; first: %s%n", rounds.size(),
          complete, rounds.size() - complete, rounds.get(0));
    }
  }

  /** Both queries once; a failure is kept as "status: body". */
  private Round round(String querier, long start) throws Exception {
    long t0 = System.nanoTime();
    try {
      long count = count(querier, start);
      int returned = returned(querier, start);
      return new Round(count, returned, null, (System.nanoTime() - t0) / 1_000_000);
    } catch (QueryFailed e) {
      return new Round(-1, -1, e.getMessage(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private void push(String distributor, int stream, long start) throws Exception {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < LINES_PER_STREAM; i++) {
      long ts = start + stream * 1_000_000L + i;
      values.append(i == 0 ? "" : ",").append("[\"").append(ts).append("\",\"line ").append(stream).append(' ')
          .append(i).append("\"]");
    }
    String body = "{\"streams\":[{\"stream\":{\"app\":\"move\",\"pod\":\"p" + stream + "\"},\"values\":[" + values
        + "]}]}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(distributor + "/loki/api/v1/push"))
        .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("push of stream %d: %s", stream, r.body()).isEqualTo(204);
  }

  /** sum(count_over_time) over an hour that holds every pushed line. */
  private long count(String querier, long start) throws Exception {
    long at = start + (STREAMS + 1) * 1_000_000L;
    JsonNode body = get(querier, "/loki/api/v1/query",
        Map.of("query", "sum(count_over_time({app=\"move\"}[1h]))", "time", String.valueOf(at)));
    JsonNode result = body.at("/data/result");
    return result.isEmpty() ? 0 : Long.parseLong(result.get(0).at("/value/1").asText());
  }

  /** The entries query_range returns over the pushed range. */
  private int returned(String querier, long start) throws Exception {
    JsonNode body = get(querier, "/loki/api/v1/query_range", Map.of("query", "{app=\"move\"}", "direction", "forward",
        "limit", String.valueOf(ExactlyOnceCheck.PAGE_LIMIT), "start", String.valueOf(start - 1_000_000),
        "end", String.valueOf(start + (STREAMS + 1) * 1_000_000L)));
    int n = 0;
    for (JsonNode stream : body.at("/data/result")) {
      n += stream.get("values").size();
    }
    return n;
  }

  private JsonNode get(String querier, String path, Map<String, String> params) throws Exception {
    String q = params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(querier + path + "?" + q))
        .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new QueryFailed(r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** A query answered with another status than 200. */
  private static final class QueryFailed extends Exception {
    private static final long serialVersionUID = 1L;

    QueryFailed(String message) {
      super(message);
    }
  }
}
