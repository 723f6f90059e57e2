package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ChunkRef;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flushed chunks outlive the process that wrote them: {@code fjord all} flushes idle chunks to a
 * chunk store directory and, while its ingester still holds them, answers every line once and counts
 * each once (the store is read, the ingester leaves those chunks out); a second {@code fjord all}
 * with a new data directory (a fresh broker, so its ingester holds nothing) pointed at the same store
 * answers every line, each once, and counts each once in a metric query.
 */
class ChunkStoreEndToEndTest {
  private static final int LINES = 120;

  @Test
  void aFreshProcessReadsEveryFlushedLineOnceFromTheStore(@TempDir Path first, @TempDir Path second,
      @TempDir Path chunks) throws Exception {
    long now = Instant.now().toEpochMilli() * 1_000_000;
    Map<String, String> flushFast = Map.of("storage.filesystem.directory", chunks.toString(),
        "ingester.chunk_idle_period", "1s", "ingester.flush_check_period", "200ms");
    List<String> expected = new ArrayList<>();
    try (FjordHarness writer = new FjordHarness(first, flushFast)) {
      for (int batch = 0; batch < 4; batch++) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < LINES / 4; i++) {
          int n = batch * (LINES / 4) + i;
          expected.add("stored line " + n);
          values.append(values.isEmpty() ? "" : ",").append("[\"").append(now + n * 1000L).append("\",\"stored line ")
              .append(n).append("\"]");
        }
        String body = "{\"streams\":[{\"stream\":{\"app\":\"stored\",\"pod\":\"p" + (batch % 2) + "\"},\"values\":["
            + values + "]}]}";
        assertThat(writer.post("/loki/api/v1/push", null, "application/json", Map.of(),
            body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
      }
      // the chunks go idle after 1s and are flushed: wait until the index lists every entry
      try (LocalObjectStore store = new LocalObjectStore(chunks);
          ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(),
              Clock.systemUTC())) {
        await().atMost(Duration.ofSeconds(60)).until(() -> index.chunks("fake", now, now + 1_000_000_000L)
            .stream().mapToLong(ChunkRef::entries).sum() >= LINES);
      }
      // the writer's ingester still holds the flushed chunks (chunk_retain_period, 1m): the querier reads
      // them from the store and has the ingester leave them out, so each line counts once
      assertThat(count(writer, now)).isEqualTo(String.valueOf(LINES));
      assertThat(sortedLines(writer, now)).containsExactlyElementsOf(sorted(expected));
    }
    try (FjordHarness reader = new FjordHarness(second, Map.of("storage.filesystem.directory", chunks.toString()))) {
      assertThat(sortedLines(reader, now)).containsExactlyElementsOf(sorted(expected));
      assertThat(count(reader, now)).isEqualTo(String.valueOf(LINES));
    }
  }

  private static List<String> sortedLines(FjordHarness fjord, long now) throws Exception {
    JsonNode logs = fjord.getJson("/loki/api/v1/query_range", null, Map.of("query", "{app=\"stored\"}",
        "start", String.valueOf(now - 1), "end", String.valueOf(now + 1_000_000_000L), "limit", "1000",
        "direction", "forward"));
    List<String> got = new ArrayList<>();
    for (JsonNode stream : logs.at("/data/result")) {
      for (JsonNode v : stream.get("values")) {
        got.add(v.get(1).asText());
      }
    }
    return sorted(got);
  }

  private static String count(FjordHarness fjord, long now) throws Exception {
    JsonNode count = fjord.getJson("/loki/api/v1/query", null, Map.of(
        "query", "sum(count_over_time({app=\"stored\"}[1m]))", "time", String.valueOf(now + 1_000_000_000L)));
    return count.at("/data/result/0/value/1").asText();
  }

  private static List<String> sorted(List<String> lines) {
    List<String> out = new ArrayList<>(lines);
    Collections.sort(out);
    return out;
  }
}
