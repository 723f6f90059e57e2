package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fjord.app.config.ConfigLoader;
import io.fjord.app.config.FjordConfig;
import io.fjord.app.run.FjordProcess;
import io.fjord.app.run.Target;
import io.fjord.schemas.labels.Labels;
import io.fjord.store.ChunkKey;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ChunkRef;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fjord compactor} needs nothing but the object store (no Kafka): it runs the index
 * compactor at start, which folds the index objects that writers added one by one into one, and
 * reports its runs in {@code /metrics}.
 */
class CompactorTargetTest {
  @Test
  void theCompactorTargetRunsWithoutKafkaAndCompactsTheIndex(@TempDir Path data, @TempDir Path chunks)
      throws Exception {
    // an old day (compacted as soon as it holds two objects) written by three separate adds
    long day = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    try (LocalObjectStore store = new LocalObjectStore(chunks);
        ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), Clock.systemUTC())) {
      for (int i = 0; i < 3; i++) {
        ChunkKey key = new ChunkKey("fake", 42, day + i * 1000L, day + i * 1000L + 10, i);
        index.add(List.of(new ChunkRef(key, Labels.of("app", "a"), 100, 5)));
      }
      assertThat(indexObjects(store)).hasSize(3);
    }
    FjordConfig config = new ConfigLoader(name -> null).load(null, Map.of("common.path_prefix", data.toString(),
        "server.http_listen_port", "0", "storage.filesystem.directory", chunks.toString(),
        "kafka.bootstrap_servers", "", "compactor.compaction_delete_delay", "0s"));
    HttpClient http = HttpClient.newHttpClient();
    try (FjordProcess compactor = FjordProcess.start(config, Target.COMPACTOR, Clock.systemUTC());
        LocalObjectStore store = new LocalObjectStore(chunks);
        ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + compactor.httpPort();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(OperatorEndpointsEndToEndTest.value(
          get(http, base + "/metrics"), "fjord_compactor_runs_total")).isGreaterThanOrEqualTo(1));
      assertThat(OperatorEndpointsEndToEndTest.value(get(http, base + "/metrics"), "fjord_compactor_failed_runs_total"))
          .isZero();
      // compaction_delete_delay 0s: the folded objects go in the same run
      assertThat(indexObjects(store)).hasSize(1);
      assertThat(index.chunks("fake", day, day + 1_000_000_000L)).hasSize(3);
      assertThat(get(http, base + "/ready")).contains("ready");
      // the day is old enough for recompression, but its three chunk objects were never written:
      // each is counted as a failure and left as it is, and the day is folded into one r- object
      String metrics = get(http, base + "/metrics");
      assertThat(OperatorEndpointsEndToEndTest.value(metrics, "fjord_compactor_recompress_failures_total")).isEqualTo(3);
      assertThat(OperatorEndpointsEndToEndTest.value(metrics, "fjord_compactor_recompressed_chunks_total")).isZero();
      assertThat(indexObjects(store)).singleElement().asString().contains("/r-");
    }
  }

  private static List<String> indexObjects(LocalObjectStore store) {
    return store.list("fake/index/");
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
