package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fjord.kafka.embedded.EmbeddedKafka;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker stop/start during ingestion (issue 4): {@code fjord all} writes to an external broker that is
 * stopped and started again on the same ports and log directory while a client keeps pushing. Every
 * push that began after the broker stopped and ended before it was started again is answered 503,
 * never 204; pushes succeed again once it is back, without restarting Fjord; and every line answered
 * 204 is returned by a query exactly once.
 */
class BrokerRestartEndToEndTest {

  /** One push: when it began and ended (System.nanoTime) and its status (0: no answer). */
  private record Push(long startNanos, long endNanos, int status) {}

  @Test
  void onlyAcknowledgedLinesAreGuaranteedAndAllOfThemArePresentOnceAfterABrokerRestart(@TempDir Path kafkaDir,
      @TempDir Path dataDir) throws Exception {
    int brokerPort = EmbeddedKafka.freePort();
    int controllerPort = EmbeddedKafka.freePort();
    EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir, brokerPort, controllerPort);
    long start = Instant.now().toEpochMilli() * 1_000_000;
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<Push> pushes = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger batch = new AtomicInteger();
    try (FjordHarness fjord = new FjordHarness(dataDir, Map.of("kafka.bootstrap_servers", broker.bootstrapServers(),
        "distributor.produce_timeout", "2s", "limits_config.max_entries_limit_per_query", "100000",
        "limits_config.ingestion_rate_mb", "1000", "limits_config.ingestion_burst_size_mb", "1000"))) {
      Thread client = new Thread(() -> {
        while (!stop.get()) {
          int b = batch.getAndIncrement();
          List<String> lines = new ArrayList<>();
          StringBuilder values = new StringBuilder();
          for (int i = 0; i < 10; i++) {
            String line = "batch " + b + " line " + i;
            lines.add(line);
            values.append(i == 0 ? "" : ",").append("[\"").append(start + b * 1_000L + i).append("\",\"").append(line)
                .append("\"]");
          }
          String body = "{\"streams\":[{\"stream\":{\"app\":\"outage\",\"shard\":\"" + (b % 4) + "\"},\"values\":["
              + values + "]}]}";
          long t0 = System.nanoTime();
          int status = 0;
          try {
            status = fjord.post("/loki/api/v1/push", null, "application/json", Map.of(),
                body.getBytes(StandardCharsets.UTF_8)).statusCode();
          } catch (Exception e) {
            // no answer: nothing was promised
          }
          if (status == 204) {
            acknowledged.addAll(lines);
          }
          pushes.add(new Push(t0, System.nanoTime(), status));
        }
      }, "outage-client");
      client.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 500);
        broker.close();
        long downAt = System.nanoTime();
        // bounded: a push is refused after produce_timeout (2s); the wait's limit is only a backstop
        await().atMost(Duration.ofSeconds(30)).until(() -> pushes.stream()
            .filter(p -> p.startNanos() > downAt && p.status() == 503).count() >= 3);
        long upAt = System.nanoTime();
        broker = EmbeddedKafka.start(kafkaDir, brokerPort, controllerPort);
        await().atMost(Duration.ofSeconds(90)).until(() -> pushes.stream()
            .filter(p -> p.startNanos() > upAt && p.status() == 204).count() >= 20);
        stop.set(true);
        client.join(30_000);

        List<Push> duringOutage = pushes.stream().filter(p -> p.startNanos() > downAt && p.endNanos() < upAt).toList();
        assertThat(duringOutage).isNotEmpty().allSatisfy(p -> assertThat(p.status()).isEqualTo(503));

        Map<String, Integer> seen = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          seen.clear();
          JsonNode r = fjord.getJson("/loki/api/v1/query_range", null, Map.of("query", "{app=\"outage\"}",
              "start", String.valueOf(start - 1), "end", String.valueOf(start + 3_600_000_000_000L),
              "limit", "100000", "direction", "forward"));
          for (JsonNode stream : r.at("/data/result")) {
            for (JsonNode v : stream.get("values")) {
              seen.merge(v.get(1).asText(), 1, Integer::sum);
            }
          }
          assertThat(seen.keySet()).containsAll(acknowledged);
        });
        assertThat(seen.values()).as("no line returned twice").allMatch(n -> n == 1);
        System.out.printf("broker restart: %d pushes, %d lines acknowledged, %d pushes refused while down, %d lines "
            + "returned%n", pushes.size(), acknowledged.size(), duringOutage.size(), seen.size());
      } finally {
        stop.set(true);
        client.join(30_000);
      }
    } finally {
      broker.close();
    }
  }
}
