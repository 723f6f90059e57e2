package io.fjord.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.ConfigJackson;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.HttpServer;
import io.fjord.ingester.replay.CheckpointStore;
import io.fjord.ingester.replay.ReplayCheckpoint;
import io.fjord.kafka.embedded.EmbeddedKafka;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts on a real broker with a real local object store: an ingester that stops cleanly flushes
 * everything and writes its checkpoints, so the next start replays nothing; one that stops without
 * reaching the store (a crash, as far as the store knows) is rebuilt by replaying the logs topic
 * from the checkpoint, exactly the unflushed entries. Either way the store and memory together hold
 * every entry once.
 * Each test has its own topics and consumer group.
 */
class IngesterReplayIntegrationTest {
  static final String MEMBERS = "replay-it.ingesters";
  static final int PARTITIONS = 4;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static EmbeddedKafka kafka;
  static Admin admin;
  static KafkaProducer<byte[], byte[]> producer;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0);
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    admin = Admin.create(a);
    admin.createTopics(List.of(new NewTopic(MEMBERS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
        .all().get(30, TimeUnit.SECONDS);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stopKafka() {
    producer.close();
    admin.close();
    kafka.close();
  }

  /** The logs and dead-letter topics of one test. */
  record Topics(String logs, String deadLetters) {}

  static Topics topics(String prefix) throws Exception {
    Topics t = new Topics(prefix + "-logs", prefix + "-dlq");
    admin.createTopics(List.of(new NewTopic(t.logs(), PARTITIONS, (short) 1), new NewTopic(t.deadLetters(), 1,
        (short) 1))).all().get(30, TimeUnit.SECONDS);
    return t;
  }

  /** Produces one record per stream, {@code count} streams of tenant {@code t}; returns the lines. */
  static List<String> produceBatch(Topics topics, String tag, int count) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Labels labels = Labels.of("app", "svc-" + i, "env", "prod");
      String a = tag + " " + i + " a";
      String b = tag + " " + i + " b";
      StreamBatch batch = new StreamBatch("t", labels, List.of(new LogEntry(1_000L * i, a),
          new LogEntry(1_000L * i + 1, b)));
      producer.send(new ProducerRecord<>(topics.logs(), LogRecordCodec.encodeKey("t", batch.fingerprint()),
          LogRecordCodec.encodeValue(batch))).get(10, TimeUnit.SECONDS);
      lines.add(a);
      lines.add(b);
    }
    return lines;
  }

  /** An ingester with its HTTP server; closing closes both. */
  record Running(Ingester ingester, HttpServer server) implements AutoCloseable {
    @Override
    public void close() {
      ingester.close();
      server.close();
    }
  }

  static Running start(Topics topics, String instance, String app, Path stateDir, TestStorage storage,
      String settings) throws Exception {
    IngesterConfig config = new ObjectMapper().registerModule(ConfigJackson.module()).readValue("{\"instance_id\":\""
        + instance + "\",\"application_id\":\"" + app + "\",\"heartbeat_period\":\"1s\",\"shutdown_timeout\":\"3s\""
        + settings + "}", IngesterConfig.class);
    Ingester ingester = new Ingester(config, LimitsConfig.defaults(), kafka.bootstrapServers(), topics.logs(),
        MEMBERS, topics.deadLetters(), stateDir, storage.storage(), Clock.systemUTC());
    HttpServer server = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(ingester.routes()), ingester::ready).start();
    ingester.start("http://127.0.0.1:" + server.port());
    return new Running(ingester, server);
  }

  List<String> lines(Running r) throws Exception {
    return lines(r, List.of());
  }

  List<String> lines(Running r, List<String> excludeChunks) throws Exception {
    IngesterProtocol.QueryRequest q = new IngesterProtocol.QueryRequest(IngesterProtocol.VERSION, List.of("t"),
        "{env=\"prod\"}", 0, Long.MAX_VALUE, 5000, IngesterProtocol.Direction.FORWARD, excludeChunks);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.server().port()
        + IngesterProtocol.QUERY_PATH)).POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(q))).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    JSON.readTree(response.body()).get("streams").forEach(s -> s.get("entries")
        .forEach(e -> out.add(e.get("line").asText())));
    return out;
  }

  static void awaitReady(Running r) {
    await().atMost(Duration.ofSeconds(60)).until(r.ingester()::ready);
  }

  static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  static void awaitGroupEmpty(String app) {
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of(app)).all()
        .get(10, TimeUnit.SECONDS).get(app).members().isEmpty());
  }

  static long count(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      return c.endOffsets(List.of(tp)).get(tp) - c.beginningOffsets(List.of(tp)).get(tp);
    }
  }

  @Test
  void aCleanStopFlushesEverythingSoTheRestartReplaysNothingAndEveryEntryIsStoredOnce() throws Exception {
    Topics topics = topics("restart");
    String app = "replay-it-restart";
    Path state = dir.resolve("restart");
    List<String> expected = new ArrayList<>(produceBatch(topics, "before", 20));
    producer.send(new ProducerRecord<>(topics.logs(), 1, "junk".getBytes(), "not a record".getBytes())).get();

    try (TestStorage storage = TestStorage.in(dir.resolve("restart-store"))) {
      try (Running first = start(topics, "restart-1", app, state, storage, "")) {
        awaitReady(first);
        assertThat(lines(first)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(storage.chunkKeys()).isEmpty(); // nothing sealed yet (30m idle period)
        assertThat(first.ingester().stats().deadLetters()).isEqualTo(1);
      }
      awaitGroupEmpty(app);
      // the clean stop sealed and flushed every chunk: one per stream, each entry once
      assertThat(storage.chunkKeys()).hasSize(20);
      assertThat(storage.storedLines()).containsExactlyInAnyOrderElementsOf(expected);

      try (Running second = start(topics, "restart-1", app, state, storage, "")) {
        awaitReady(second);

        // the checkpoints say everything is flushed: nothing is replayed, nothing is held
        assertThat(second.ingester().stats().replays()).isEqualTo(PARTITIONS);
        assertThat(second.ingester().stats().replayedRecords()).isZero();
        assertThat(lines(second)).isEmpty();
        assertThat(second.ingester().stats().records()).isZero();
        assertThat(second.ingester().stats().deadLetters()).isZero();
        assertThat(count(topics.deadLetters())).isEqualTo(1);

        // and it goes on live
        List<String> after = produceBatch(topics, "after", 3);
        expected.addAll(after);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(second).size() == after.size());
        assertThat(lines(second)).containsExactlyInAnyOrderElementsOf(after);
        assertThat(second.ingester().stats().records()).isEqualTo(3);
      }
      assertThat(storage.storedLines()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void afterACrashTheReplayStartsAtTheCheckpointAndRebuildsExactlyTheUnflushedEntries() throws Exception {
    Topics topics = topics("ckpt");
    String app = "replay-it-ckpt";
    Path state = dir.resolve("ckpt");
    // chunks idle for 1s are sealed and flushed, and checkpoints written, within about a second
    String fast = ",\"chunk_idle_period\":\"1s\",\"flush_check_period\":\"200ms\","
        + "\"replay_checkpoint_interval\":\"100ms\"";
    List<String> flushed = produceBatch(topics, "flushed", 20);
    try (TestStorage storage = TestStorage.in(dir.resolve("ckpt-store"))) {
      List<String> held;
      try (Running first = start(topics, "ckpt-1", app, state, storage, fast)) {
        awaitReady(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> storage.storedLines().size() == flushed.size());
        Map<TopicPartition, Long> ends = endOffsets(topics.logs());
        CheckpointStore checkpoints = new CheckpointStore(storage.store(), app, topics.logs(), Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          for (int p = 0; p < PARTITIONS; p++) {
            long end = ends.get(new TopicPartition(topics.logs(), p));
            if (checkpoints.read(p).map(ReplayCheckpoint::replayFrom).orElse(-1L) != end) {
              return false;
            }
          }
          return true;
        });
        // entries that reach memory but never the store: it is down from now on
        List<String> flushedKeys = storage.chunkKeys();
        storage.store().fail.set(true);
        held = produceBatch(topics, "held", 20);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(first, flushedKeys).size() == held.size());
      } // the close cannot flush nor write checkpoints: for the store this is a crash
      storage.store().fail.set(false);
      assertThat(storage.storedLines()).containsExactlyInAnyOrderElementsOf(flushed);

      try (Running second = start(topics, "ckpt-1", app, state, storage, fast)) {
        awaitReady(second);

        // the replay read exactly the 20 records after the checkpoints, none of the flushed ones
        assertThat(second.ingester().stats().replayedRecords()).isEqualTo(20);
        assertThat(second.ingester().stats().replayedEntries()).isEqualTo(40);
        // store and memory together (the memory leaving out what the store holds) hold every entry once
        List<String> keys = storage.chunkKeys();
        List<String> all = new ArrayList<>();
        for (String key : keys) {
          all.addAll(storage.linesOf(key));
        }
        all.addAll(lines(second, keys));
        List<String> expected = new ArrayList<>(flushed);
        expected.addAll(held);
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
        // and the held entries reach the store in their turn, once
        await().atMost(Duration.ofSeconds(30)).until(() -> storage.storedLines().size() == expected.size());
        assertThat(storage.storedLines()).containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  @Test
  void recordsProcessedButNotCommittedBeforeACrashAreReadLiveOnceAfterTheReplay() throws Exception {
    Topics topics = topics("crash");
    String app = "replay-it-crash";
    Path state = dir.resolve("crash");
    List<String> expected = new ArrayList<>(produceBatch(topics, "committed", 20));

    try (TestStorage storage = TestStorage.in(dir.resolve("crash-store"))) {
      try (Running first = start(topics, "crash-1", app, state, storage, "")) {
        awaitReady(first);
        assertThat(lines(first)).containsExactlyInAnyOrderElementsOf(expected);
        Map<TopicPartition, Long> committedBeforeCrash = endOffsets(topics.logs());
        expected.addAll(produceBatch(topics, "uncommitted", 20));
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(first).size() == expected.size());

        // simulate a kill -9 after the first batch's commit: nothing reaches the store, and the
        // group's offsets go back to where they were
        storage.store().fail.set(true);
        first.close();
        awaitGroupEmpty(app);
        Map<TopicPartition, OffsetAndMetadata> rewind = new HashMap<>();
        committedBeforeCrash.forEach((tp, offset) -> rewind.put(tp, new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(app, rewind).all().get(10, TimeUnit.SECONDS);
      }
      storage.store().fail.set(false);
      assertThat(storage.chunkKeys()).isEmpty();

      try (Running second = start(topics, "crash-1", app, state, storage, "")) {
        awaitReady(second);

        assertThat(lines(second)).containsExactlyInAnyOrderElementsOf(expected);
        // no checkpoint: the replay ran from the log start to the committed offset, the rest was read live
        assertThat(second.ingester().stats().replayedRecords()).isEqualTo(20);
        assertThat(second.ingester().stats().records()).isEqualTo(20);
        assertThat(second.ingester().stats().duplicates()).isZero();
        assertThat(second.ingester().stats().handOverSkipped()).isZero();
      }
    }
  }

  @Test
  void whileTheStoreIsDownConsumptionPausesPastTheLimitAndResumesWhenItRecoversLosingNothing() throws Exception {
    Topics topics = topics("pause");
    String app = "replay-it-pause";
    // every record of 64+ line bytes fills a chunk; 4KB of sealed chunks may wait for the flush
    String small = ",\"chunk_block_size\":\"64B\",\"chunk_target_size\":\"1B\",\"max_unflushed_bytes\":\"4KB\","
        + "\"flush_op_backoff\":{\"min_period\":\"100ms\",\"max_period\":\"200ms\"}";
    int records = 300;
    try (TestStorage storage = TestStorage.in(dir.resolve("pause-store"));
        Running r = start(topics, "pause-1", app, dir.resolve("pause"), storage, small)) {
      awaitReady(r);
      storage.store().fail.set(true);
      List<String> expected = new ArrayList<>();
      java.util.Random random = new java.util.Random(7);
      for (int i = 0; i < records; i++) {
        // random hex: does not compress, so each chunk holds about its line bytes
        String line = "line " + i + " " + java.util.HexFormat.of().formatHex(randomBytes(random, 60));
        StreamBatch batch = new StreamBatch("t", Labels.of("app", "svc-" + (i % 10), "env", "prod"),
            List.of(new LogEntry(1_000L * i, line)));
        producer.send(new ProducerRecord<>(topics.logs(), LogRecordCodec.encodeKey("t", batch.fingerprint()),
            LogRecordCodec.encodeValue(batch)));
        expected.add(line);
      }
      producer.flush();

      await().atMost(Duration.ofSeconds(30)).until(r.ingester()::paused);
      // paused: the rest waits in Kafka, memory stays near the limit, queries and readiness go on
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
          .until(() -> r.ingester().paused() && r.ingester().stats().records() < records / 2);
      long consumed = r.ingester().stats().records();
      assertThat(r.ingester().unflushedBytes()).isGreaterThan(4096).isLessThan(consumed * 250);
      assertThat(r.ingester().ready()).isTrue();
      assertThat(lines(r)).hasSize((int) consumed);

      storage.store().fail.set(false);

      // resumed (the backlog is checked every 250 ms), everything consumed and flushed
      await().atMost(Duration.ofSeconds(60)).until(() -> r.ingester().stats().records() == records
          && r.ingester().unflushedBytes() == 0 && !r.ingester().paused());
      // every entry once: the store, and memory leaving out what the store holds
      List<String> keys = storage.chunkKeys();
      List<String> all = new ArrayList<>();
      keys.forEach(k -> all.addAll(storage.linesOf(k)));
      all.addAll(lines(r, keys));
      assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(storage.storedLines()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  static byte[] randomBytes(java.util.Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
