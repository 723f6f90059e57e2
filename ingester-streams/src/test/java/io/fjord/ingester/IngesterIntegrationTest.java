package io.fjord.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.HttpServer;
import io.fjord.ingester.stream.DeadLetters;
import io.fjord.kafka.embedded.EmbeddedKafka;
import io.fjord.schemas.ingester.IngesterMember;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingester against a real in-process Kafka broker: records produced with the record codec,
 * queried over HTTP, announced on the membership topic, and a clean goodbye on close.
 */
class IngesterIntegrationTest {
  static final String LOGS = "logs";
  static final String MEMBERS = "logs.ingesters";
  static final String DLQ = "logs.dead-letter";
  static final String APP = "fjord-ingester-it";
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
    admin.createTopics(List.of(
        new NewTopic(LOGS, 4, (short) 1),
        new NewTopic(MEMBERS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
        new NewTopic(DLQ, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
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

  static void produce(String tenant, Labels labels, LogEntry... entries) throws Exception {
    StreamBatch batch = new StreamBatch(tenant, labels, List.of(entries));
    producer.send(new ProducerRecord<>(LOGS, LogRecordCodec.encodeKey(tenant, batch.fingerprint()),
        LogRecordCodec.encodeValue(batch))).get(10, TimeUnit.SECONDS);
  }

  JsonNode post(HttpServer server, String path, Object request) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))).build();
    HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  List<String> lines(HttpServer server, String tenant, String query) throws Exception {
    return lines(server, tenant, query, List.of());
  }

  List<String> lines(HttpServer server, String tenant, String query, List<String> excludeChunks) throws Exception {
    JsonNode body = post(server, IngesterProtocol.QUERY_PATH, new IngesterProtocol.QueryRequest(1, List.of(tenant),
        query, 0, Long.MAX_VALUE, 1000, IngesterProtocol.Direction.FORWARD, excludeChunks));
    List<String> out = new ArrayList<>();
    body.get("streams").forEach(s -> s.get("entries").forEach(e -> out.add(e.get("line").asText())));
    return out;
  }

  @Test
  void ingestsServesAnnouncesAndLeaves() throws Exception {
    // twenty streams spread over the four partitions, one poison record
    for (int i = 0; i < 20; i++) {
      produce("tenant-a", Labels.of("app", "svc-" + i, "env", "prod"), new LogEntry(1_000 + i, "before start " + i));
    }
    produce("tenant-b", Labels.of("app", "svc-0", "env", "prod"), new LogEntry(5_000, "b's secret"));
    producer.send(new ProducerRecord<>(LOGS, 2, "junk".getBytes(), "not a record".getBytes())).get();

    TestStorage storage = TestStorage.in(dir.resolve("store-it-1"));
    Ingester ingester = new Ingester(instanceConfig("it-1", APP), LimitsConfig.defaults(), kafka.bootstrapServers(), LOGS, MEMBERS, DLQ,
        dir.resolve("ingester"), storage.storage(), Clock.systemUTC());
    HttpServer server = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(ingester.routes()), ingester::ready).start();
    String endpoint = "http://127.0.0.1:" + server.port();
    try (KafkaConsumer<String, byte[]> members = consumer(MEMBERS);
        KafkaConsumer<String, byte[]> deadLetters = consumer(DLQ)) {
      ingester.start(endpoint);

      await().atMost(Duration.ofSeconds(60)).until(ingester::ready);
      // ready means caught up: everything produced before the start is queryable now
      assertThat(lines(server, "tenant-a", "{env=\"prod\"}")).hasSize(20).contains("before start 0", "before start 19");
      assertThat(lines(server, "tenant-a", "{app=\"svc-0\"}")).containsExactly("before start 0");
      assertThat(lines(server, "tenant-b", "{env=\"prod\"}")).containsExactly("b's secret");

      produce("tenant-a", Labels.of("app", "svc-3", "env", "prod"), new LogEntry(9_000, "live"));
      await().atMost(Duration.ofSeconds(30))
          .until(() -> lines(server, "tenant-a", "{app=\"svc-3\"}").equals(List.of("before start 3", "live")));

      JsonNode series = post(server, IngesterProtocol.SERIES_PATH,
          new IngesterProtocol.SeriesRequest(1, List.of("tenant-b"), 0, Long.MAX_VALUE, List.of()));
      assertThat(series.get("series")).hasSize(1);

      List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        deadLetters.poll(Duration.ofMillis(200)).forEach(dead::add);
        return !dead.isEmpty();
      });
      assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.ERROR)).contains("unreadable record");
      assertThat(ingester.stats().deadLetters()).isEqualTo(1);

      // the membership topic is shared with the other test: look at this instance's records only
      List<ConsumerRecord<String, byte[]>> announcements = new ArrayList<>();
      java.util.function.Consumer<ConsumerRecord<String, byte[]>> collect = r -> {
        if (r.key().equals("it-1")) {
          announcements.add(r);
        }
      };
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        members.poll(Duration.ofMillis(200)).forEach(collect);
        return announcements.stream().anyMatch(r -> r.value() != null && IngesterMember.decode(r.value()).ready());
      });
      IngesterMember ready = announcements.stream().filter(r -> r.value() != null).map(r -> IngesterMember.decode(r.value()))
          .filter(IngesterMember::ready).findFirst().orElseThrow();
      assertThat(ready.instance()).isEqualTo("it-1");
      assertThat(ready.endpoint()).isEqualTo(endpoint);
      assertThat(ready.partitions()).containsExactly(0, 1, 2, 3);

      // heartbeats keep coming while nothing changes
      long lastHeartbeat = ready.heartbeatMillis();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        members.poll(Duration.ofMillis(200)).forEach(collect);
        return announcements.stream().filter(r -> r.value() != null)
            .anyMatch(r -> IngesterMember.decode(r.value()).heartbeatMillis() > lastHeartbeat);
      });

      // the consumer group member is static, named after the instance
      assertThat(groupMembers()).extracting(m -> m.groupInstanceId().orElse(""))
          .singleElement().satisfies(id -> assertThat(id).startsWith("it-1"));

      ingester.close();

      await().atMost(Duration.ofSeconds(30)).until(() -> {
        members.poll(Duration.ofMillis(200)).forEach(collect);
        return announcements.get(announcements.size() - 1).value() == null;
      });
      assertThat(groupMembers()).isEmpty(); // it left the group: a restart does not wait for the session timeout
      assertThat(ingester.ready()).isFalse();
    } finally {
      ingester.close();
      server.close();
      storage.close();
    }
  }

  @Test
  void twoInstancesSplitThePartitionsAndTheSurvivorTakesThemAllWithTheirData() throws Exception {
    String app = "fjord-ingester-it-pair";
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      produce("pair", Labels.of("app", "svc-" + i), new LogEntry(100 + i, "pair line " + i));
      expected.add("pair line " + i);
    }
    TestStorage storage = TestStorage.in(dir.resolve("store-pair"));
    Ingester a = new Ingester(instanceConfig("pair-a", app), LimitsConfig.defaults(), kafka.bootstrapServers(), LOGS,
        MEMBERS, DLQ, dir.resolve("pair-a"), storage.storage(), Clock.systemUTC());
    Ingester b = new Ingester(instanceConfig("pair-b", app), LimitsConfig.defaults(), kafka.bootstrapServers(), LOGS,
        MEMBERS, DLQ, dir.resolve("pair-b"), storage.storage(), Clock.systemUTC());
    HttpServer serverA = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(a.routes()), a::ready).start();
    HttpServer serverB = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(b.routes()), b::ready).start();
    try (KafkaConsumer<String, byte[]> members = consumer(MEMBERS)) {
      a.start("http://127.0.0.1:" + serverA.port());
      b.start("http://127.0.0.1:" + serverB.port());
      Map<String, IngesterMember> latest = new java.util.HashMap<>();

      await().atMost(Duration.ofSeconds(60)).until(() -> {
        members.poll(Duration.ofMillis(200)).forEach(r -> remember(latest, r));
        IngesterMember ma = latest.get("pair-a");
        IngesterMember mb = latest.get("pair-b");
        return ma != null && mb != null && ma.ready() && mb.ready() && !ma.partitions().isEmpty()
            && !mb.partitions().isEmpty() && ma.partitions().size() + mb.partitions().size() == 4
            && a.ready() && b.ready();
      });
      Set<Integer> union = new HashSet<>(latest.get("pair-a").partitions());
      union.addAll(latest.get("pair-b").partitions());
      assertThat(union).containsExactlyInAnyOrder(0, 1, 2, 3);
      // each serves its own partitions' streams
      List<String> fromA = lines(serverA, "pair", "{app=~\"svc-.*\"}");
      List<String> fromB = lines(serverB, "pair", "{app=~\"svc-.*\"}");
      assertThat(fromA).isNotEmpty();
      assertThat(fromB).isNotEmpty();
      List<String> both = new ArrayList<>(fromA);
      both.addAll(fromB);
      assertThat(both).containsExactlyInAnyOrderElementsOf(expected);

      a.close();

      await().atMost(Duration.ofSeconds(60)).until(() -> {
        members.poll(Duration.ofMillis(200)).forEach(r -> remember(latest, r));
        IngesterMember mb = latest.get("pair-b");
        return !latest.containsKey("pair-a") && mb.ready() && mb.partitions().equals(List.of(0, 1, 2, 3))
            && b.ready();
      });
      // a flushed its partitions' chunks as it left and wrote their checkpoints; the store and b's memory (leaving out what the store holds) have every entry once
      List<String> keys = storage.chunkKeys();
      assertThat(keys).isNotEmpty();
      List<String> all = new ArrayList<>();
      keys.forEach(k -> all.addAll(storage.linesOf(k)));
      all.addAll(lines(serverB, "pair", "{app=~\"svc-.*\"}", keys));
      assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(storage.storedLines()).containsAll(fromA);
    } finally {
      a.close();
      b.close();
      serverA.close();
      serverB.close();
      storage.close();
    }
  }

  static IngesterConfig instanceConfig(String instance, String app) {
    IngesterConfig d = IngesterConfig.defaults();
    return new IngesterConfig(d.chunkBlockSize(), d.chunkTargetSize(), d.chunkIdlePeriod(), d.maxChunkAge(),
        Duration.ofSeconds(1), instance, app, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Keeps the latest announcement per instance; a tombstone removes the instance. */
  static void remember(Map<String, IngesterMember> latest, ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      latest.remove(r.key());
    } else {
      latest.put(r.key(), IngesterMember.decode(r.value()));
    }
  }

  static List<MemberDescription> groupMembers() throws Exception {
    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(APP)).all().get(10, TimeUnit.SECONDS).get(APP);
    return new ArrayList<>(d.members());
  }

  static KafkaConsumer<String, byte[]> consumer(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    c.partitionsFor(topic).forEach(info -> {
      if (seen.add(info.partition())) {
        parts.add(new TopicPartition(topic, info.partition()));
      }
    });
    c.assign(parts);
    c.seekToBeginning(parts);
    return c;
  }
}
