package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.kafka.embedded.EmbeddedKafka;
import java.io.File;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fjord's main promise, tested the hard way: {@code fjord all} runs as a child JVM while two
 * clients push; the process is killed with SIGKILL at a random moment (broker, ingester and all);
 * after a restart on the same data directory every line that was answered 204 is returned, and
 * no line is returned twice.
 */
class CrashRecoveryEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void everyAcknowledgedLineSurvivesAKill9ExactlyOnce(@TempDir Path dataDir) throws Exception {
    int port = EmbeddedKafka.freePort();
    List<String> args = List.of("all", "-common.path_prefix=" + dataDir, "-server.http_listen_port=" + port,
        "-kafka.embedded_broker_port=" + EmbeddedKafka.freePort(),
        "-kafka.embedded_controller_port=" + EmbeddedKafka.freePort(), "-kafka.partitions=4",
        "-ingester.instance_id=crash-test", "-limits_config.max_entries_limit_per_query=100000",
        "-limits_config.ingestion_rate_mb=1000", "-limits_config.ingestion_burst_size_mb=1000");
    String base = "http://127.0.0.1:" + port;
    long start = Instant.now().toEpochMilli() * 1_000_000;
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    int batchesBeforeKill = 20 + new Random().nextInt(40);

    Process first = startFjord(dataDir, args);
    try {
      awaitReady(base);
      AtomicInteger batches = new AtomicInteger();
      AtomicBoolean killed = new AtomicBoolean();
      CountDownLatch enough = new CountDownLatch(1);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        int client = c;
        Thread t = new Thread(() -> push(base, client, start, acknowledged, batches, batchesBeforeKill, enough, killed));
        t.start();
        clients.add(t);
      }
      enough.await();
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
      first.waitFor();
      killed.set(true);
      for (Thread t : clients) {
        t.join(30_000);
      }
    } finally {
      first.destroyForcibly();
    }
    assertThat(acknowledged).hasSizeGreaterThan(1000);

    long t0 = System.nanoTime();
    Process second = startFjord(dataDir, args);
    try {
      awaitReady(base);
      long readyMs = (System.nanoTime() - t0) / 1_000_000;
      Map<String, Integer> seen = new HashMap<>();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        seen.clear();
        for (String line : queryAll(base, start)) {
          seen.merge(line, 1, Integer::sum);
        }
        assertThat(seen.keySet()).containsAll(acknowledged);
      });
      assertThat(seen.values()).as("no line returned twice").allMatch(n -> n == 1);
      System.out.printf("crash recovery: %d acknowledged lines, %d returned, ready %d ms after restart%n",
          acknowledged.size(), seen.size(), readyMs);
    } finally {
      second.destroy();
      second.waitFor();
    }
  }

  private void push(String base, int client, long start, Set<String> acknowledged, AtomicInteger batches,
      int batchesBeforeKill, CountDownLatch enough, AtomicBoolean killed) {
    for (int b = 0; !killed.get() && b < 10_000; b++) {
      StringBuilder values = new StringBuilder();
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String line = "client " + client + " batch " + b + " line " + i;
        lines.add(line);
        long ts = start + (long) b * 1_000_000 + client * 1000L + i;
        values.append(i == 0 ? "" : ",").append("[\"").append(ts).append("\",\"").append(line).append("\"]");
      }
      String body = "{\"streams\":[{\"stream\":{\"app\":\"crash\",\"client\":\"" + client + "\",\"shard\":\"" + (b % 3)
          + "\"},\"values\":[" + values + "]}]}";
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/loki/api/v1/push"))
            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 204) {
          acknowledged.addAll(lines);
        }
      } catch (Exception e) {
        // the server is gone: what was not answered 204 was never promised
      }
      if (batches.incrementAndGet() >= batchesBeforeKill) {
        enough.countDown();
      }
    }
  }

  private List<String> queryAll(String base, long start) throws Exception {
    String url = base + "/loki/api/v1/query_range?direction=forward&limit=100000&start=" + (start - 1)
        + "&end=" + (start + 3_600_000_000_000L) + "&query="
        + URLEncoder.encode("{app=\"crash\"}", StandardCharsets.UTF_8);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode stream : JSON.readTree(r.body()).at("/data/result")) {
      for (JsonNode v : stream.get("values")) {
        out.add(v.get(1).asText());
      }
    }
    return out;
  }

  private void awaitReady(String base) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
        http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  private static Process startFjord(Path dataDir, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", System.getProperty("java.class.path"), "io.fjord.app.Main"));
    cmd.addAll(args);
    File log = dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }
}
