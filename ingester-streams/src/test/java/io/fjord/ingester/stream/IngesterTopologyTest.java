package io.fjord.ingester.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.config.LimitsConfig;
import io.fjord.ingester.chunk.ChunkSettings;
import io.fjord.ingester.chunk.SealReason;
import io.fjord.ingester.chunk.StreamKey;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.query.IngesterQueries;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.ingester.IngesterProtocol.Direction;
import io.fjord.schemas.ingester.IngesterProtocol.Entry;
import io.fjord.schemas.ingester.IngesterProtocol.LabelsRequest;
import io.fjord.schemas.ingester.IngesterProtocol.QueryRequest;
import io.fjord.schemas.ingester.IngesterProtocol.Series;
import io.fjord.schemas.ingester.IngesterProtocol.SeriesRequest;
import io.fjord.schemas.ingester.IngesterProtocol.StreamResult;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest topology driven record by record with simulated wall-clock time. */
class IngesterTopologyTest {
  static final String LOGS = "logs";
  static final String DLQ = "logs-dlq";
  static final ChunkSettings CHUNKS = new ChunkSettings(256 * 1024, 1536 * 1024, Duration.ofMinutes(30),
      Duration.ofHours(2));
  static final long ALL_START = 0;
  static final long ALL_END = Long.MAX_VALUE;

  @TempDir
  Path stateDir;
  final PartitionRegistry registry = new PartitionRegistry();
  final IngestStats stats = new IngestStats();
  final IngesterQueries queries = new IngesterQueries(registry, LimitsConfig.defaults());
  TopologyTestDriver driver;
  TestInputTopic<byte[], byte[]> logs;
  TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    startDriver();
  }

  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fjord-ingester-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    DeadLetterHandlers.configure(props, DLQ, stats);
    TopologySettings settings = new TopologySettings(LOGS, DLQ, CHUNKS, Duration.ofSeconds(30));
    driver = new TopologyTestDriver(IngesterTopology.build(settings, registry, stats), props,
        Instant.parse("2026-01-01T00:00:00Z"));
    logs = driver.createInputTopic(LOGS, new ByteArraySerializer(), new ByteArraySerializer());
    deadLetters = driver.createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  void push(String tenant, Labels labels, LogEntry... entries) {
    StreamBatch batch = new StreamBatch(tenant, labels, List.of(entries));
    logs.pipeInput(LogRecordCodec.encodeKey(tenant, batch.fingerprint()), LogRecordCodec.encodeValue(batch));
  }

  static LogEntry e(long ts, String line) {
    return new LogEntry(ts, line);
  }

  List<StreamResult> query(List<String> tenants, String logql, long start, long end, int limit, Direction d) {
    return queries.query(new QueryRequest(IngesterProtocol.VERSION, tenants, logql, start, end, limit, d)).streams();
  }

  List<StreamResult> query(String logql, int limit, Direction d) {
    return query(List.of("t"), logql, ALL_START, ALL_END, limit, d);
  }

  static List<Long> timestamps(List<StreamResult> streams) {
    return streams.stream().flatMap(s -> s.entries().stream()).map(Entry::ts).sorted().toList();
  }

  @Test
  void recordsInQueryResultsOut() {
    Labels api = Labels.of("app", "api", "env", "prod");
    Labels web = Labels.of("app", "web", "env", "prod");
    push("t", api, e(10, "GET /a"), e(30, "GET /c"));
    push("t", web, e(20, "GET /b"));
    push("t", api, e(40, "POST /d"));

    List<StreamResult> apiOnly = query("{app=\"api\"}", 100, Direction.FORWARD);
    assertThat(apiOnly).singleElement().satisfies(s -> {
      assertThat(s.tenant()).isEqualTo("t");
      assertThat(s.labels()).isEqualTo(Map.of("app", "api", "env", "prod"));
      assertThat(s.entries()).containsExactly(new Entry(10, "GET /a"), new Entry(30, "GET /c"),
          new Entry(40, "POST /d"));
    });

    // the first 3 entries going backward across both streams: 40, 30 (api) and 20 (web)
    List<StreamResult> newest = query("{env=\"prod\"}", 3, Direction.BACKWARD);
    assertThat(newest).extracting(s -> s.labels().get("app")).containsExactly("api", "web");
    assertThat(newest.get(0).entries()).extracting(Entry::ts).containsExactly(40L, 30L);
    assertThat(newest.get(1).entries()).extracting(Entry::ts).containsExactly(20L);

    // forward with a limit takes the oldest ones
    assertThat(timestamps(query("{env=\"prod\"}", 2, Direction.FORWARD))).containsExactly(10L, 20L);
    // the range is start <= ts < end
    assertThat(timestamps(query(List.of("t"), "{env=~\"pr.*\"}", 20, 40, 100, Direction.FORWARD)))
        .containsExactly(20L, 30L);
  }

  @Test
  void appliesThePipelineAndGroupsByItsOutputLabels() {
    Labels api = Labels.of("app", "api");
    push("t", api, e(1, "level=error boom"), e(2, "level=info fine"),
        new LogEntry(3, "level=error again", Labels.of("trace_id", "abc")));

    List<StreamResult> errors = query("{app=\"api\"} |= \"error\"", 100, Direction.FORWARD);

    // structured metadata becomes part of the entry's labels, so the third entry is its own group
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).labels()).isEqualTo(Map.of("app", "api"));
    assertThat(errors.get(0).entries()).containsExactly(new Entry(1, "level=error boom"));
    assertThat(errors.get(1).labels()).isEqualTo(Map.of("app", "api", "trace_id", "abc"));
    assertThat(errors.get(1).entries()).containsExactly(new Entry(3, "level=error again"));
  }

  @Test
  void redeliveredRecordsAndClientRetriesAddNothing() {
    Labels api = Labels.of("app", "api");
    push("t", api, e(1, "a"), e(2, "b"));
    push("t", api, e(1, "a"), e(2, "b")); // Kafka redelivery after a crash before the commit
    push("t", api, e(2, "b"), e(3, "c"), e(3, "c2")); // a retried push with one new entry, then a same-ts one

    assertThat(query("{app=\"api\"}", 100, Direction.FORWARD)).singleElement()
        .satisfies(s -> assertThat(s.entries()).containsExactly(new Entry(1, "a"), new Entry(2, "b"),
            new Entry(3, "c"), new Entry(3, "c2")));
    assertThat(stats.duplicates()).isEqualTo(3);
    assertThat(stats.entries()).isEqualTo(4);
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndTheNextRecordIsStillProcessed() {
    byte[] garbage = "not a fjord record".getBytes();
    StreamBatch badLabels = new StreamBatch("t", Labels.of("bad-name", "x"), List.of(e(1, "x")));
    byte[] corrupt = LogRecordCodec.encodeValue(new StreamBatch("t", Labels.of("app", "x"), List.of(e(1, "x"))));
    corrupt[corrupt.length - 1] ^= 0x01; // breaks the CRC
    RecordHeaders headers = new RecordHeaders();
    headers.add("origin", "native-producer".getBytes());

    logs.pipeInput(new TestRecord<>("k1".getBytes(), garbage, headers));
    logs.pipeInput("k2".getBytes(), (byte[]) null);
    logs.pipeInput("k3".getBytes(), LogRecordCodec.encodeValue(badLabels));
    logs.pipeInput("k4".getBytes(), corrupt);
    logs.pipeInput("k5".getBytes(), LogRecordCodec.encodeValue(
        new StreamBatch("bad|tenant", Labels.of("app", "x"), List.of(e(1, "x")))));
    push("t", Labels.of("app", "good"), e(5, "still flowing"));

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).hasSize(5);
    assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR_CODE)).containsExactly(
        "UNREADABLE_RECORD", "NO_VALUE", "INVALID_STREAM", "UNREADABLE_RECORD", "INVALID_STREAM");
    assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.ERROR)).contains("bad magic");
    assertThat(DeadLetters.header(dead.get(2).headers(), DeadLetters.ERROR)).contains("invalid label name \"bad-name\"");
    assertThat(DeadLetters.header(dead.get(3).headers(), DeadLetters.ERROR)).contains("checksum mismatch");
    assertThat(DeadLetters.header(dead.get(4).headers(), DeadLetters.ERROR)).contains("invalid tenant");
    assertThat(dead.get(0).key()).isEqualTo("k1".getBytes());
    assertThat(dead.get(0).value()).isEqualTo(garbage);
    assertThat(DeadLetters.header(dead.get(0).headers(), "origin")).isEqualTo("native-producer");
    assertThat(DeadLetters.header(dead.get(1).headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
    assertThat(DeadLetters.header(dead.get(1).headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(LOGS);
    assertThat(stats.deadLetters()).isEqualTo(5);
    assertThat(stats.deadLetters(DeadLetterReason.UNREADABLE_RECORD)).isEqualTo(2);

    assertThat(query("{app=\"good\"}", 10, Direction.FORWARD)).singleElement()
        .satisfies(s -> assertThat(s.entries()).containsExactly(new Entry(5, "still flowing")));
    assertThat(registry.get(0).lastOffset()).isEqualTo(5);
  }

  @Test
  void tenantsNeverSeeEachOther() {
    Labels same = Labels.of("app", "api");
    push("a", same, e(1, "secret of a"));
    push("b", same, e(2, "secret of b"));
    push("b", Labels.of("app", "only-b", "team", "b"), e(3, "more of b"));

    assertThat(query(List.of("a"), "{app=~\".+\"}", ALL_START, ALL_END, 100, Direction.FORWARD))
        .flatExtracting(StreamResult::entries).extracting(Entry::line).containsExactly("secret of a");
    assertThat(query(List.of("a", "b"), "{app=\"api\"}", ALL_START, ALL_END, 100, Direction.FORWARD))
        .extracting(StreamResult::tenant).containsExactly("a", "b");
    assertThat(query(List.of("a", "a"), "{app=\"api\"}", ALL_START, ALL_END, 100, Direction.FORWARD))
        .flatExtracting(StreamResult::entries).hasSize(1);

    assertThat(labels(List.of("a"), null, null)).containsExactly("app");
    assertThat(labels(List.of("a"), "app", null)).containsExactly("api");
    assertThat(labels(List.of("b"), "app", null)).containsExactly("api", "only-b");
    assertThat(series(List.of("a"), List.of())).containsExactly(new Series("a", Map.of("app", "api")));
    assertThat(series(List.of("c"), List.of("{app=~\".+\"}"))).isEmpty();
  }

  List<String> labels(List<String> tenants, String name, String query) {
    return labels(tenants, ALL_START, ALL_END, name, query);
  }

  List<String> labels(List<String> tenants, long start, long end, String name, String query) {
    return queries.labels(new LabelsRequest(IngesterProtocol.VERSION, tenants, start, end, name, query)).values();
  }

  List<Series> series(List<String> tenants, List<String> match) {
    return series(tenants, ALL_START, ALL_END, match);
  }

  List<Series> series(List<String> tenants, long start, long end, List<String> match) {
    return queries.series(new SeriesRequest(IngesterProtocol.VERSION, tenants, start, end, match)).series();
  }

  @Test
  void labelsAndSeriesHonourTheRangeAndTheSelector() {
    push("t", Labels.of("app", "api", "env", "prod"), e(100, "x"), e(200, "y"));
    push("t", Labels.of("app", "web", "region", "eu"), e(300, "z"));
    push("t", Labels.of("app", "api", "env", "dev"), e(400, "w"));

    assertThat(labels(List.of("t"), null, null)).containsExactly("app", "env", "region");
    assertThat(labels(List.of("t"), 250, 350, null, null)).containsExactly("app", "region");
    assertThat(labels(List.of("t"), 0, 100, null, null)).isEmpty();
    assertThat(labels(List.of("t"), "env", null)).containsExactly("dev", "prod");
    assertThat(labels(List.of("t"), 150, 250, "env", null)).containsExactly("prod");
    assertThat(labels(List.of("t"), "env", "{app=\"api\", env!=\"prod\"}")).containsExactly("dev");
    assertThat(labels(List.of("t"), "nope", null)).isEmpty();

    assertThat(series(List.of("t"), List.of("{app=\"api\"}"))).containsExactly(
        new Series("t", Map.of("app", "api", "env", "dev")), new Series("t", Map.of("app", "api", "env", "prod")));
    assertThat(series(List.of("t"), 300, 301, List.of("{app=\"api\"}", "{region=\"eu\"}"))).containsExactly(
        new Series("t", Map.of("app", "web", "region", "eu")));
    assertThat(series(List.of("t"), List.of("{app!~\"a.*\", app=~\"w.+\"}"))).extracting(s -> s.labels().get("app"))
        .containsExactly("web");
  }

  @Test
  void wallClockPunctuationSealsIdleChunks() {
    Labels api = Labels.of("app", "api");
    push("t", api, e(1, "a"));
    StreamMemory stream = registry.get(0).memory().get(StreamKey.of("t", api));

    driver.advanceWallClockTime(Duration.ofMinutes(29));
    assertThat(stream.chunks()).singleElement().satisfies(c -> assertThat(c.sealed()).isNull());

    driver.advanceWallClockTime(Duration.ofMinutes(1));
    assertThat(stream.chunks()).singleElement().satisfies(c -> assertThat(c.sealed()).isEqualTo(SealReason.IDLE));

    push("t", api, e(2, "b"));
    assertThat(stream.chunks()).hasSize(2);
    assertThat(query("{app=\"api\"}", 10, Direction.BACKWARD)).singleElement()
        .satisfies(s -> assertThat(s.entries()).extracting(Entry::line).containsExactly("b", "a"));
  }

  @Test
  void aRestartStartsWithEmptyMemoryAndAnIndexThatMatchesIt() {
    push("t", Labels.of("app", "api"), e(1, "before restart"));
    assertThat(registry.get(0).index().series("t")).hasSize(1);

    driver.close();
    assertThat(registry.all()).isEmpty();
    startDriver(); // same state directory: the RocksDB index is still on disk

    assertThat(registry.get(0).index().series("t")).isEmpty();
    assertThat(labels(List.of("t"), null, null)).isEmpty();
    assertThat(series(List.of("t"), List.of())).isEmpty();

    push("t", Labels.of("app", "web"), e(2, "after restart"));
    assertThat(series(List.of("t"), List.of())).containsExactly(new Series("t", Map.of("app", "web")));
  }

  @Test
  void recordsTheReplayOffsetPerPartition() {
    logs.pipeInput("x".getBytes(), "garbage".getBytes()); // offset 0
    push("t", Labels.of("app", "a"), e(1, "x")); // offset 1
    push("t", Labels.of("app", "b"), e(1, "x")); // offset 2
    push("t", Labels.of("app", "a"), e(2, "y")); // offset 3

    assertThat(registry.get(0).memory().replayOffset()).isEqualTo(1);
    assertThat(registry.get(0).lastOffset()).isEqualTo(3);
  }

  @Test
  void theStoreHasNoChangelog() {
    assertThat(driver.producedTopicNames()).doesNotContain("fjord-ingester-test-fjord-index-changelog");
    push("t", Labels.of("app", "a"), e(1, "x"));
    assertThat(driver.producedTopicNames()).isEmpty();
  }
}
