package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fjord all} stopped cleanly and started again on the same data directory finds every line
 * it had acknowledged, each exactly once: the broker keeps its log, the ingester rebuilds its
 * memory from it.
 */
class RestartEndToEndTest {
  @Test
  void aSecondStartOnTheSameDataDirectoryFindsItsDataAgain(@TempDir Path dataDir) throws Exception {
    long now = Instant.now().toEpochMilli() * 1_000_000;
    List<String> expected = new ArrayList<>();
    try (FjordHarness first = new FjordHarness(dataDir, Map.of())) {
      for (int batch = 0; batch < 5; batch++) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 20; i++) {
          int n = batch * 20 + i;
          expected.add("restart line " + n);
          values.append(values.isEmpty() ? "" : ",").append("[\"").append(now + n).append("\",\"restart line ")
              .append(n).append("\"]");
        }
        String body = "{\"streams\":[{\"stream\":{\"app\":\"restart\",\"batch\":\"" + (batch % 2) + "\"},\"values\":["
            + values + "]}]}";
        assertThat(first.post("/loki/api/v1/push", null, "application/json", Map.of(),
            body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lines(first, now)).hasSize(100));
    }
    try (FjordHarness second = new FjordHarness(dataDir, Map.of())) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(lines(second, now)).containsExactlyElementsOf(expected));
    }
  }

  private static List<String> lines(FjordHarness fjord, long now) throws Exception {
    JsonNode r = fjord.getJson("/loki/api/v1/query_range", null, Map.of("query", "{app=\"restart\"}",
        "start", String.valueOf(now - 1), "end", String.valueOf(now + 1_000_000_000L), "limit", "1000",
        "direction", "forward"));
    List<String> out = new ArrayList<>();
    List<long[]> order = new ArrayList<>();
    for (JsonNode stream : r.at("/data/result")) {
      for (JsonNode v : stream.get("values")) {
        order.add(new long[] {Long.parseLong(v.get(0).asText()), out.size()});
        out.add(v.get(1).asText());
      }
    }
    order.sort((a, b) -> Long.compare(a[0], b[0]));
    List<String> sorted = new ArrayList<>();
    for (long[] o : order) {
      sorted.add(out.get((int) o[1]));
    }
    return sorted;
  }
}
