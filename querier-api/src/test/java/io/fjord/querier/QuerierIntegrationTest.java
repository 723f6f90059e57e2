package io.fjord.querier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.HttpServer;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.kafka.embedded.EmbeddedKafka;
import io.fjord.querier.source.store.FlushedChunks;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ChunkRef;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.fjord.schemas.ingester.IngesterMember;
import io.fjord.schemas.ingester.IngesterProtocol;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The querier end to end: a real in-process Kafka broker carries the membership topic, two fake
 * ingesters (real HTTP servers speaking the ingester protocol) hold canned data that overlaps by one
 * entry, and the query API is asked over real HTTP. Each test uses its own membership topic.
 */
class QuerierIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long S = 1_000_000_000L;
  /** 2026-11-20T00:00:00Z; the data lies in the first minutes after it. */
  private static final long T0 = 1795132800L;
  private static final AtomicInteger TOPICS = new AtomicInteger();

  @TempDir static Path kafkaDir;
  @TempDir Path storeDir;
  static EmbeddedKafka kafka;
  static KafkaProducer<byte[], byte[]> producer;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T01:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private String topic;
  private FakeIngester a;
  private FakeIngester b;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir, 0, 0);
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  @AfterAll
  static void stopKafka() {
    producer.close();
    kafka.close();
  }

  @BeforeEach
  void createTopicAndIngesters() throws Exception {
    topic = "ingesters-" + TOPICS.incrementAndGet();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)
          .configs(Map.of("cleanup.policy", "compact")))).all().get();
    }
    // ingester A and B both hold the entry T0+200s "dup" of {app="api"} (e.g. after a rebalance)
    a = closing(new FakeIngester("ingester-a")).answerQueries(
        stream("api", entry(100, "a1"), entry(200, "dup"), entry(300, "a3")));
    b = closing(new FakeIngester("ingester-b")).answerQueries(
        stream("api", entry(200, "dup"), entry(250, "b2")),
        stream("web", entry(150, "w1")));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void mergesDeduplicatesAndLimitsTheAnswersOfTheIngestersItDiscovered() throws Exception {
    announce(a.member(clock.instant(), 0, 1));
    announce(b.member(clock.instant(), 2));
    String base = startQuerier();

    JsonNode backward = queryRange(base, "{app=~\"api|web\"}", "limit", "4");
    JsonNode forward = queryRange(base, "{app=~\"api|web\"}", "limit", "10", "direction", "forward");

    // unique entries: api 100 a1, 200 dup, 250 b2, 300 a3; web 150 w1. The newest four:
    assertThat(backward.at("/data/result")).isEqualTo(JSON.readTree("""
        [{"stream":{"app":"api"},"values":[["%s","a3"],["%s","b2"],["%s","dup"]]},
         {"stream":{"app":"web"},"values":[["%s","w1"]]}]""".formatted(ns(300), ns(250), ns(200), ns(150))));
    assertThat(forward.at("/data/result")).isEqualTo(JSON.readTree("""
        [{"stream":{"app":"api"},"values":[["%s","a1"],["%s","dup"],["%s","b2"],["%s","a3"]]},
         {"stream":{"app":"web"},"values":[["%s","w1"]]}]""".formatted(ns(100), ns(200), ns(250), ns(300), ns(150))));
    assertThat(backward.at("/data/stats/ingester/totalReached").asInt()).isEqualTo(2);
    assertThat(a.queries).hasSize(2);
    assertThat(a.queries.get(0)).isEqualTo(new IngesterProtocol.QueryRequest(1, List.of("fake"),
        "{app=~\"api|web\"}", T0 * S, (T0 + 1000) * S, 4, IngesterProtocol.Direction.BACKWARD));
    assertThat(b.queries).hasSize(2);
  }

  @Test
  void answersAMetricQueryCountingAMovingPartitionOnce() throws Exception {
    // partition 1 is moving from A to B: both answer for it; its samples must count once
    a.answerSamples(List.of(0, 1),
        series("api", 0, sample(100, 1), sample(200, 1)),
        series("web", 1, sample(150, 1)));
    b.answerSamples(List.of(1, 2),
        series("web", 1, sample(150, 1)),
        series("api", 2, sample(250, 1)));
    announce(a.member(clock.instant(), 0, 1));
    announce(b.member(clock.instant(), 1, 2));
    String base = startQuerier();

    HttpResponse<String> r = get(base + "/loki/api/v1/query?" + form("query",
        "sum by (app) (count_over_time({app=~\"api|web\"}[5m]))", "time", Long.toString(T0 + 300)));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).at("/data/result")).isEqualTo(JSON.readTree("""
        [{"metric":{"app":"api"},"value":[%d,"3"]},{"metric":{"app":"web"},"value":[%d,"1"]}]"""
        .formatted(T0 + 300, T0 + 300)));
    assertThat(a.sampleRequests).singleElement().satisfies(q -> {
      assertThat(q.query()).isEqualTo("count_over_time({app=~\"api|web\"}[5m])");
      assertThat(q.grouping()).isEqualTo(new IngesterProtocol.SampleGrouping(false, List.of("app")));
      assertThat(q.startNanos()).isEqualTo(T0 * S + 1);
      assertThat(q.endNanos()).isEqualTo((T0 + 300) * S + 1);
    });
  }

  @Test
  void anIngesterThatStopsAnnouncingExpiresAndIsNoLongerAsked() throws Exception {
    announce(a.member(clock.instant(), 0));
    announce(b.member(clock.instant(), 1));
    Querier querier = querier();
    String base = serve(querier);
    assertThat(queryRange(base, "{app=~\"api|web\"}").at("/data/result")).hasSize(2);

    clock.advance(Duration.ofSeconds(16));
    announce(a.member(clock.instant(), 0, 1)); // only A is still alive
    await().atMost(Duration.ofSeconds(30)).until(() -> instances(querier).equals(List.of("ingester-a")));
    int bAskedBefore = b.queries.size();

    JsonNode answer = queryRange(base, "{app=~\"api|web\"}", "direction", "forward");

    assertThat(answer.at("/data/result")).isEqualTo(JSON.readTree("""
        [{"stream":{"app":"api"},"values":[["%s","a1"],["%s","dup"],["%s","a3"]]}]"""
        .formatted(ns(100), ns(200), ns(300))));
    assertThat(b.queries).hasSize(bAskedBefore);
  }

  @Test
  void aTombstoneRemovesAnIngesterAndUndecodableAnnouncementsAreSkipped() throws Exception {
    announce(a.member(clock.instant(), 0));
    announce(b.member(clock.instant(), 1));
    producer.send(new ProducerRecord<>(topic, bytes("broken"), bytes("{not json"))).get();
    Querier querier = querier();
    String base = serve(querier);
    assertThat(instances(querier)).containsExactly("ingester-a", "ingester-b");

    producer.send(new ProducerRecord<>(topic, bytes("ingester-a"), null)).get();
    await().atMost(Duration.ofSeconds(30)).until(() -> instances(querier).equals(List.of("ingester-b")));

    JsonNode answer = queryRange(base, "{app=~\"api|web\"}", "direction", "forward");
    assertThat(answer.at("/data/result")).isEqualTo(JSON.readTree("""
        [{"stream":{"app":"api"},"values":[["%s","dup"],["%s","b2"]]},
         {"stream":{"app":"web"},"values":[["%s","w1"]]}]""".formatted(ns(200), ns(250), ns(150))));
  }

  @Test
  void aFailingIngesterFailsTheQueryWithA5xxNamingIt() throws Exception {
    b.failWith(500, "out of memory");
    announce(a.member(clock.instant(), 0));
    announce(b.member(clock.instant(), 1));
    String base = startQuerier();

    HttpResponse<String> r = get(base + "/loki/api/v1/query_range?" + form("query", "{app=\"api\"}",
        "start", Long.toString(T0), "end", Long.toString(T0 + 1000)));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("ingester-b").contains(b.endpoint()).contains("out of memory");
  }

  @Test
  void labelsAndSeriesComeFromEveryIngester() throws Exception {
    a.answerLabels("app", "env").answerSeries(new IngesterProtocol.Series("fake", Map.of("app", "api")));
    b.answerLabels("pod", "app").answerSeries(new IngesterProtocol.Series("fake", Map.of("app", "web")),
        new IngesterProtocol.Series("fake", Map.of("app", "api")));
    announce(a.member(clock.instant(), 0));
    announce(b.member(clock.instant(), 1));
    String base = startQuerier();

    JsonNode labels = JSON.readTree(get(base + "/loki/api/v1/labels").body());
    JsonNode series = JSON.readTree(get(base + "/loki/api/v1/series?" + form("match[]", "{app=~\".+\"}")).body());

    assertThat(labels).isEqualTo(JSON.readTree("{\"status\":\"success\",\"data\":[\"app\",\"env\",\"pod\"]}"));
    assertThat(series).isEqualTo(JSON.readTree(
        "{\"status\":\"success\",\"data\":[{\"app\":\"api\"},{\"app\":\"web\"}]}"));
  }

  @Test
  void isNotReadyUntilItHasReadTheMembershipTopic() throws Exception {
    Querier querier = querier();
    assertThat(querier.ready()).isFalse();

    querier.start();

    await().atMost(Duration.ofSeconds(30)).until(querier::ready);
    assertThat(instances(querier)).isEmpty();
  }

  @Test
  void aTailSendsTheDeduplicatedHistoryThenOnlyWhatAnIngesterGainsLater() throws Exception {
    announce(a.member(clock.instant(), 0, 1));
    announce(b.member(clock.instant(), 2));
    String base = startQuerier();
    List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.net.http.WebSocket ws = http.newWebSocketBuilder().buildAsync(
        URI.create(base.replace("http://", "ws://") + "/loki/api/v1/tail?" + form("query", "{app=~\"api|web\"}",
            "start", Long.toString(T0))),
        new java.net.http.WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data,
              boolean last) {
            partial.append(data);
            if (last) {
              messages.add(partial.toString());
              partial.setLength(0);
            }
            w.request(1);
            return null;
          }
        }).join();
    closing(ws::abort);

    await().until(() -> messages.size() >= 1);
    assertThat(JSON.readTree(messages.get(0))).isEqualTo(JSON.readTree("""
        {"streams":[{"stream":{"app":"api"},"values":[["%s","a1"],["%s","dup"],["%s","b2"],["%s","a3"]]},
                    {"stream":{"app":"web"},"values":[["%s","w1"]]}]}"""
        .formatted(ns(100), ns(200), ns(250), ns(300), ns(150))));

    a.answerQueries(stream("api", entry(100, "a1"), entry(200, "dup"), entry(300, "a3"), entry(400, "a4")));
    await().until(() -> messages.size() >= 2);
    assertThat(JSON.readTree(messages.get(1))).isEqualTo(JSON.readTree("""
        {"streams":[{"stream":{"app":"api"},"values":[["%s","a4"]]}]}""".formatted(ns(400))));
  }

  @Test
  void readsFlushedChunksFromTheStoreAndTellsTheIngestersWhichToLeaveOut() throws Exception {
    // the store holds a flushed chunk of {app="api"}: s0 and dup; ingester A answers a1, dup, a3 (canned: it
    // does not really leave the chunk out, so dup comes from both and the engine keeps it once)
    try (LocalObjectStore store = new LocalObjectStore(storeDir);
        ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock)) {
      ChunkRef flushed = new FlushedChunks(store, index).flush("fake", Labels.of("app", "api"),
          List.of(new LogEntry((T0 + 50) * S, "s0"), new LogEntry((T0 + 200) * S, "dup")));
      a.answerSamples(List.of(0), series("api", 0, sample(300, 1)));
      announce(a.member(clock.instant(), 0));
      Querier querier = closing(new Querier(QuerierConfig.defaults(), LimitsConfig.defaults(),
          new TenantResolver(false, false), kafka.bootstrapServers(), topic, store, index, clock));
      String base = serve(querier);

      JsonNode logs = queryRange(base, "{app=\"api\"}", "direction", "forward");
      HttpResponse<String> count = get(base + "/loki/api/v1/query?" + form("query",
          "sum(count_over_time({app=\"api\"}[10m]))", "time", Long.toString(T0 + 600)));

      assertThat(logs.at("/data/result")).isEqualTo(JSON.readTree("""
          [{"stream":{"app":"api"},"values":[["%s","s0"],["%s","a1"],["%s","dup"],["%s","a3"]]}]"""
          .formatted(ns(50), ns(100), ns(200), ns(300))));
      assertThat(a.queries).singleElement()
          .satisfies(q -> assertThat(q.excludeChunks()).containsExactly(flushed.key()));
      assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
      // two entries from the store, one from the ingester's samples (the flushed chunk left out)
      assertThat(JSON.readTree(count.body()).at("/data/result/0/value/1").asText()).isEqualTo("3");
      assertThat(a.sampleRequests).singleElement()
          .satisfies(q -> assertThat(q.excludeChunks()).containsExactly(flushed.key()));

      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      QuerierMeters.bind(meters, querier);
      store.delete(flushed.key());
      assertThat(queryRange(base, "{app=\"api\"}", "direction", "forward").at("/data/result/0/values"))
          .hasSize(3); // s0 is gone with the chunk; a1, dup and a3 still come from the ingester
      assertThat(meters.get("fjord.querier.store.chunks.missing").functionCounter().count()).isEqualTo(1);
    }
  }

  private String startQuerier() {
    return serve(querier());
  }

  private Querier querier() {
    return closing(new Querier(QuerierConfig.defaults(), LimitsConfig.defaults(), new TenantResolver(false, false),
        kafka.bootstrapServers(), topic, clock));
  }

  private String serve(Querier querier) {
    querier.start();
    HttpServer server = closing(new HttpServer("127.0.0.1", 0, 1 << 20, List.of(querier.routes()), querier::ready));
    server.start();
    await().atMost(Duration.ofSeconds(30)).until(querier::ready);
    return "http://127.0.0.1:" + server.port();
  }

  private static List<String> instances(Querier querier) {
    return querier.registry().live().stream().map(IngesterMember::instance).toList();
  }

  private void announce(IngesterMember m) throws Exception {
    producer.send(new ProducerRecord<>(topic, bytes(m.instance()), m.encode())).get();
  }

  private JsonNode queryRange(String base, String query, String... more) throws Exception {
    List<String> kv = new ArrayList<>(List.of("query", query, "start", Long.toString(T0),
        "end", Long.toString(T0 + 1000)));
    kv.addAll(List.of(more));
    HttpResponse<String> r = get(base + "/loki/api/v1/query_range?" + form(kv.toArray(String[]::new)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private <T extends AutoCloseable> T closing(T resource) {
    closeables.add(resource);
    return resource;
  }

  private static IngesterProtocol.StreamResult stream(String app, IngesterProtocol.Entry... entries) {
    return new IngesterProtocol.StreamResult("fake", Map.of("app", app), List.of(entries));
  }

  private static IngesterProtocol.SampleSeries series(String app, int partition, IngesterProtocol.Sample... samples) {
    return new IngesterProtocol.SampleSeries("fake", Map.of("app", app), partition, List.of(samples));
  }

  private static IngesterProtocol.Sample sample(long secondsAfterT0, double value) {
    return new IngesterProtocol.Sample((T0 + secondsAfterT0) * S, value);
  }

  private static IngesterProtocol.Entry entry(long secondsAfterT0, String line) {
    return new IngesterProtocol.Entry((T0 + secondsAfterT0) * S, line);
  }

  private static String ns(long secondsAfterT0) {
    return Long.toString((T0 + secondsAfterT0) * S);
  }

  private static String form(String... kv) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      parts.add(URLEncoder.encode(kv[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
    }
    return String.join("&", parts);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
