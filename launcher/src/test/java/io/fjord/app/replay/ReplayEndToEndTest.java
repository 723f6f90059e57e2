package io.fjord.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.app.config.ConfigLoader;
import io.fjord.app.run.FjordProcess;
import io.fjord.app.run.Target;
import io.fjord.store.local.LocalObjectStore;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ChunkRef;
import io.fjord.store.index.ObjectStoreChunkIndex;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fjord replay} against a real {@code fjord all}: lines of two tenants are pushed (and one
 * garbage record written straight to the logs topic); replay writes them from the logs topic into a
 * fresh store (the lost one's replacement); a fresh process over that store alone returns every
 * line once; a second replay writes no object at all and leaves the index as it was; --tenant
 * replays one tenant only.
 */
class ReplayEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PODS = 3;
  private static final int BATCHES = 3;
  private static final int LINES = 20;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void replayRestoresALostStoreAndASecondRunStoresNothingTwice(@TempDir Path first, @TempDir Path lost,
      @TempDir Path fresh, @TempDir Path onlyA, @TempDir Path second) throws Exception {
    long now = Instant.now().toEpochMilli() * 1_000_000;
    Map<String, List<String>> expected = new TreeMap<>();
    String bootstrap;
    try (FjordProcess writer = fjordAll(first, lost)) {
      String base = "http://127.0.0.1:" + writer.httpPort();
      bootstrap = writer.bootstrapServers();
      for (String tenant : List.of("team-a", "team-b")) {
        for (int b = 0; b < BATCHES; b++) {
          for (int pod = 0; pod < PODS; pod++) {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < LINES; i++) {
              String line = tenant + " pod " + pod + " batch " + b + " line " + i;
              expected.computeIfAbsent(tenant, t -> new ArrayList<>()).add(line);
              // batches of one stream overlap in time, so chunks are sorted and not merely concatenated
              long ts = now + (long) i * 3_000_000 + b * 1_000_000L;
              values.append(i == 0 ? "" : ",").append("[\"").append(ts).append("\",\"").append(line).append("\"]");
            }
            String body = "{\"streams\":[{\"stream\":{\"app\":\"shop\",\"pod\":\"p" + pod + "\"},\"values\":["
                + values + "]}]}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/loki/api/v1/push"))
                .header("Content-Type", "application/json").header("X-Scope-OrgID", tenant)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
          }
        }
      }
      try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        p.send(new ProducerRecord<>("logs", 0, null, "not a fjord record".getBytes(StandardCharsets.UTF_8)))
            .get(30, TimeUnit.SECONDS);
      }

      List<String> args = List.of("--from", "0", "--bootstrap-servers", bootstrap,
          "-storage.filesystem.directory=" + fresh, "-ingester.chunk_target_size=1KB", "-common.path_prefix=" + first);
      Run run1 = replay(args);
      assertThat(run1.code).as(run1.err).isEqualTo(ReplayCommand.OK);
      int records = 2 * BATCHES * PODS;
      int entries = 2 * BATCHES * PODS * LINES;
      assertThat(run1.out).contains("done: " + (records + 1) + " records read, " + entries + " entries replayed")
          .contains("0 chunks already stored, 0 duplicate entries dropped, 1 records refused")
          .contains("refused not a Fjord log record");
      Map<String, byte[]> objects1 = objects(fresh);
      List<String> chunks1 = objects1.keySet().stream().filter(k -> k.contains("/chunks/")).sorted().toList();
      // 1KB of text per chunk: a stream's 60 entries (about 40 bytes each) need more than one chunk
      assertThat(chunks1.size()).isGreaterThan(2 * PODS);
      assertThat(run1.out).contains(" " + chunks1.size() + " chunks written");
      assertThat(indexedEntries(fresh, "team-a", now)).isEqualTo(entries / 2);
      assertThat(indexedEntries(fresh, "team-b", now)).isEqualTo(entries / 2);

      Run run2 = replay(args);
      assertThat(run2.code).as(run2.err).isEqualTo(ReplayCommand.OK);
      assertThat(run2.out).contains("0 chunks written (0 bytes), " + chunks1.size() + " chunks already stored");
      Map<String, byte[]> objects2 = objects(fresh);
      assertThat(objects2.keySet()).as("no object added or removed").isEqualTo(objects1.keySet());
      objects1.forEach((k, v) -> assertThat(objects2.get(k)).as(k).isEqualTo(v));

      Run tenantOnly = replay(List.of("--from", "0", "--tenant", "team-a", "--bootstrap-servers", bootstrap,
          "-storage.filesystem.directory=" + onlyA, "-ingester.chunk_target_size=1KB", "-common.path_prefix=" + first));
      assertThat(tenantOnly.code).as(tenantOnly.err).isEqualTo(ReplayCommand.OK);
      assertThat(tenantOnly.out).contains(records / 2 + " records of other tenants skipped");
      assertThat(objects(onlyA).keySet()).isNotEmpty().allMatch(k -> k.startsWith("team-a/"));
      // with the buffer limit out of reach a stream's chunks depend on its own entries only: team-a's chunks
      // are those of the full run
      assertThat(objects(onlyA).keySet().stream().filter(k -> k.contains("/chunks/")).sorted().toList())
          .isEqualTo(chunks1.stream().filter(k -> k.startsWith("team-a/")).toList());
    }

    try (FjordProcess reader = fjordAll(second, fresh)) {
      String base = "http://127.0.0.1:" + reader.httpPort();
      for (Map.Entry<String, List<String>> t : expected.entrySet()) {
        List<String> got = lines(base, t.getKey(), now);
        assertThat(got).as("every line of %s once", t.getKey()).containsExactlyInAnyOrderElementsOf(t.getValue());
      }
    }
  }

  @Test
  void aMissingLogsTopicOrPartitionIsReportedWithoutTouchingTheStore(@TempDir Path dir, @TempDir Path store)
      throws Exception {
    try (FjordProcess fjord = fjordAll(dir, store)) {
      Run noTopic = replay(List.of("--from", "0", "--bootstrap-servers", fjord.bootstrapServers(), "--logs-topic",
          "nope", "-storage.filesystem.directory=" + store));
      assertThat(noTopic.code).isEqualTo(ReplayCommand.FAILED);
      assertThat(noTopic.err).contains("the logs topic nope does not exist");
      Run noPartition = replay(List.of("--from", "9:0", "--bootstrap-servers", fjord.bootstrapServers(),
          "-storage.filesystem.directory=" + store, "-kafka.partitions=2"));
      assertThat(noPartition.code).isEqualTo(ReplayCommand.USAGE_ERROR);
      assertThat(noPartition.err).contains("partition 9 is not a partition of logs (it has 2)");
      Run stopped = replay(List.of("--from", "0", "--bootstrap-servers", fjord.bootstrapServers(),
          "-storage.filesystem.directory=" + store), true);
      assertThat(stopped.code).isEqualTo(ReplayCommand.STOPPED);
      assertThat(stopped.err).contains("stopped before it began");
      assertThat(objects(store)).isEmpty();
    }
    Run usage = replay(List.of("--to", "5"));
    assertThat(usage.code).isEqualTo(ReplayCommand.USAGE_ERROR);
    assertThat(usage.err).contains("--from is required").contains("usage: fjord replay");
  }

  private record Run(int code, String out, String err) {}

  private static Run replay(List<String> args) {
    return replay(args, false);
  }

  private static Run replay(List<String> args, boolean stoppedFirst) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ReplayCommand command = new ReplayCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(),
        new ReplayCommand.Tuning(Duration.ZERO, 1 << 20, Duration.ofSeconds(60)));
    if (stoppedFirst) {
      command.close(); // Ctrl-C before the replay began
    }
    int code = command.run(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static FjordProcess fjordAll(Path dataDir, Path store) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("auth_enabled", "true");
    config.put("common.path_prefix", dataDir.toString());
    config.put("storage.filesystem.directory", store.toString());
    config.put("server.http_listen_port", "0");
    config.put("kafka.embedded_broker_port", "0");
    config.put("kafka.embedded_controller_port", "0");
    config.put("kafka.partitions", "2");
    config.put("ingester.heartbeat_period", "1s");
    FjordProcess p = FjordProcess.start(new ConfigLoader(name -> null).load(null, config), Target.ALL,
        Clock.systemUTC());
    HttpClient client = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + p.httpPort() + "/ready")).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode() == 200);
    return p;
  }

  /** Every object of a local store, by key. */
  private static Map<String, byte[]> objects(Path dir) throws Exception {
    Map<String, byte[]> out = new HashMap<>();
    try (LocalObjectStore store = new LocalObjectStore(dir)) {
      for (String key : store.list("")) {
        out.put(key, store.get(key).orElseThrow());
      }
    }
    return out;
  }

  private static long indexedEntries(Path dir, String tenant, long now) {
    try (LocalObjectStore store = new LocalObjectStore(dir);
        ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), Clock.systemUTC())) {
      return index.chunks(tenant, now - 1, now + 3_600_000_000_000L).stream().mapToLong(ChunkRef::entries).sum();
    }
  }

  private List<String> lines(String base, String tenant, long now) throws Exception {
    String url = base + "/loki/api/v1/query_range?direction=forward&limit=5000&start=" + (now - 1) + "&end="
        + (now + 3_600_000_000_000L) + "&query=" + URLEncoder.encode("{app=\"shop\"}", StandardCharsets.UTF_8);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Scope-OrgID", tenant).build(),
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
}
