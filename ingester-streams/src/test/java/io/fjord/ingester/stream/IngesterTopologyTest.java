package io.fjord.ingester.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.config.LimitsConfig;
import io.fjord.ingester.chunk.ChunkSettings;
import io.fjord.ingester.chunk.SealReason;
import io.fjord.ingester.chunk.StreamKey;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.ingester.flush.FlushFixture;
import io.fjord.ingester.flush.TestClock;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.query.IngesterQueries;
import io.fjord.ingester.replay.ReplayPlan;
import io.fjord.ingester.replay.ReplaySink;
import io.fjord.ingester.replay.ReplaySource;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.fjord.ingester.replay.ReplayCheckpoint;
import io.fjord.schemas.ingester.IngesterProtocol.SamplesRequest;
import io.fjord.store.ChunkKey;
import io.fjord.store.index.ChunkRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest topology driven record by record with simulated wall-clock time. Records carry the
 * simulated time as their Kafka timestamp, as the distributor's records carry the time they were
 * produced; replay tests feed a restarted driver the records an earlier one consumed.
 */
class IngesterTopologyTest {
  static final String LOGS = "logs";
  static final String DLQ = "logs-dlq";
  static final ChunkSettings CHUNKS = new ChunkSettings(256 * 1024, 1536 * 1024, Duration.ofMinutes(30),
      Duration.ofHours(2));
  static final long ALL_START = 0;
  static final long ALL_END = Long.MAX_VALUE;
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path stateDir;
  final PartitionRegistry registry = new PartitionRegistry();
  IngestStats stats = new IngestStats();
  IngesterQueries queries = new IngesterQueries(registry, LimitsConfig.defaults());
  TopologyTestDriver driver;
  TestInputTopic<byte[], byte[]> logs;
  TestOutputTopic<byte[], byte[]> deadLetters;
  /** What the next driver replays on start. */
  ReplaySource replay = ReplaySource.none();
  ChunkSettings chunks = CHUNKS;
  StreamLimit streamLimit = StreamLimit.unlimited();
  /** chunk_retain_period of the next driver. */
  Duration retain = Duration.ofMinutes(1);
  /** The simulated wall clock; records piped now carry it as their timestamp. */
  Instant wall = START;
  /** Every record piped into the logs topic of the current driver, at its offset. */
  final List<Logged> piped = new ArrayList<>();
  @TempDir
  Path storeDir;
  FlushFixture flush;

  @BeforeEach
  void start() {
    flush = new FlushFixture(storeDir, new TestClock(() -> wall));
    startDriver();
  }

  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fjord-ingester-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    DeadLetterHandlers.configure(props, DLQ, stats);
    TopologySettings settings = new TopologySettings(LOGS, DLQ, chunks, Duration.ofSeconds(30), streamLimit,
        retain, Duration.ofSeconds(5), Duration.ofSeconds(2));
    driver = new TopologyTestDriver(IngesterTopology.build(settings, registry, stats, replay, flush.flusher,
        flush.checkpoints), props, wall);
    logs = driver.createInputTopic(LOGS, new ByteArraySerializer(), new ByteArraySerializer());
    deadLetters = driver.createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    piped.clear();
  }

  /** A record as the logs topic holds it. */
  record Logged(long offset, long timestampMillis, byte[] value) {}

  void advance(Duration d) {
    wall = wall.plus(d);
    driver.advanceWallClockTime(d);
  }

  /** Pipes a raw value at the current simulated time. */
  void pipe(byte[] key, byte[] value) {
    piped.add(new Logged(piped.size(), wall.toEpochMilli(), value));
    logs.pipeInput(new TestRecord<>(key, value, wall));
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    flush.close();
  }

  void push(String tenant, Labels labels, LogEntry... entries) {
    StreamBatch batch = new StreamBatch(tenant, labels, List.of(entries));
    pipe(LogRecordCodec.encodeKey(tenant, batch.fingerprint()), LogRecordCodec.encodeValue(batch));
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

    advance(Duration.ofMinutes(29));
    assertThat(stream.chunks()).singleElement().satisfies(c -> assertThat(c.sealed()).isNull());

    advance(Duration.ofMinutes(1));
    assertThat(stream.chunks()).singleElement().satisfies(c -> assertThat(c.sealed()).isEqualTo(SealReason.IDLE));

    push("t", api, e(2, "b"));
    assertThat(stream.chunks()).hasSize(2);
    assertThat(query("{app=\"api\"}", 10, Direction.BACKWARD)).singleElement()
        .satisfies(s -> assertThat(s.entries()).extracting(Entry::line).containsExactly("b", "a"));
  }

  @Test
  void aRestartWithNothingToReplayStartsWithEmptyMemoryAndAnIndexThatMatchesIt() {
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
    pipe("x".getBytes(), "garbage".getBytes()); // offset 0
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

  /** Replays a fixed list of records, as Kafka would return them, up to {@code end}. */
  static final class ListReplaySource implements ReplaySource {
    final List<Logged> log;
    final long end;
    /** Called after each record, before its batch ends (one record per batch). */
    Runnable afterRecord = () -> { };

    ListReplaySource(List<Logged> log, long end) {
      this.log = List.copyOf(log);
      this.end = end;
    }

    @Override
    public ReplayPlan plan(int partition) {
      return new ReplayPlan(partition, 0, end);
    }

    @Override
    public void read(ReplayPlan plan, ReplaySink sink) {
      for (Logged r : log) {
        if (r.offset() >= plan.start() && r.offset() < plan.end()) {
          sink.record(r.offset(), r.timestampMillis(), r.value());
          sink.batchEnd();
          afterRecord.run();
        }
      }
    }
  }

  /** Closes the driver and starts a new one, one minute later, that replays what the old one consumed. */
  void restartReplaying(long end) {
    List<Logged> consumed = List.copyOf(piped);
    driver.close();
    stats = new IngestStats();
    queries = new IngesterQueries(registry, LimitsConfig.defaults());
    replay = new ListReplaySource(consumed, end);
    wall = wall.plus(Duration.ofMinutes(1));
    startDriver();
  }

  @Test
  void liveRecordsBelowTheReplayEndAreNotAppendedAgain() {
    Labels api = Labels.of("app", "api");
    List<Logged> replayed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replayed.add(new Logged(i, wall.toEpochMilli(), LogRecordCodec.encodeValue(
          new StreamBatch("t", api, List.of(e(i, "replayed " + i))))));
    }
    replay = new ListReplaySource(replayed, 3);
    driver.close();
    startDriver();

    // the live consumer delivers offsets 0..4; here 0..2 differ from what replay read at those
    // offsets, so appending them would show (dedup could not hide them)
    for (int i = 0; i < 5; i++) {
      push("t", api, e(i, "live " + i));
    }

    assertThat(query("{app=\"api\"}", 100, Direction.FORWARD)).singleElement()
        .satisfies(s -> assertThat(s.entries()).extracting(Entry::line)
            .containsExactly("replayed 0", "replayed 1", "replayed 2", "live 3", "live 4"));
    assertThat(stats.handOverSkipped()).isEqualTo(3);
    assertThat(stats.replayedRecords()).isEqualTo(3);
    assertThat(stats.records()).isEqualTo(2);
    assertThat(stats.duplicates()).isZero();
    assertThat(registry.get(0).lastOffset()).isEqualTo(4);
  }

  @Test
  void replayRebuildsTheChunksTheLivePathBuilt() {
    // tiny blocks and chunks so that this history cuts blocks, fills chunks and seals idle ones; the
    // store is down, so that no chunk is flushed (and dropped) and the close cannot write a checkpoint
    chunks = new ChunkSettings(40, 120, Duration.ofMinutes(30), Duration.ofHours(2));
    flush.store.fail.set(true);
    driver.close();
    startDriver();
    Labels api = Labels.of("app", "api");
    Labels web = Labels.of("app", "web");
    String tenantB = "b";
    long ts = 1_000;
    for (int i = 0; i < 30; i++) {
      push("t", api, e(ts + i * 10, "GET /api/v1/items/" + i + " 200"), e(ts + i * 10 + 5, "took " + i + "ms"));
      if (i % 3 == 0) {
        push(tenantB, web, e(ts + i * 10, "web " + i));
      }
      if (i == 12 || i == 13) {
        advance(Duration.ofMinutes(31)); // web idles out, api too (once its chunk is not just full)
      } else {
        advance(Duration.ofSeconds(20));
      }
    }
    push("t", api, e(ts + 55, "late out-of-order entry"));
    push("t", api, e(ts + 10, "GET /api/v1/items/1 200")); // a client retry: a duplicate
    pipe("junk".getBytes(), "not a record".getBytes());
    push(tenantB, web, e(99_999, "last"));

    StreamMemory liveApi = registry.get(0).memory().get(StreamKey.of("t", api));
    StreamMemory liveWeb = registry.get(0).memory().get(StreamKey.of(tenantB, web));
    List<StreamMemory.ChunkInfo> apiChunks = liveApi.chunks();
    List<StreamMemory.ChunkInfo> webChunks = liveWeb.chunks();
    List<StreamResult> apiEntries = query("{app=\"api\"}", 1000, Direction.FORWARD);
    List<StreamResult> webEntries = query(List.of(tenantB), "{app=\"web\"}", ALL_START, ALL_END, 1000,
        Direction.BACKWARD);
    List<Series> series = series(List.of("t", tenantB), List.of());
    long firstUnflushed = registry.get(0).memory().replayOffset();
    assertThat(apiChunks).as("the history must exercise cuts and seals").hasSizeGreaterThan(2)
        .anySatisfy(c -> assertThat(c.sealed()).isEqualTo(SealReason.IDLE))
        .anySatisfy(c -> assertThat(c.sealed()).isEqualTo(SealReason.FULL));
    assertThat(deadLetters.readRecordsToList()).hasSize(1);
    int consumed = piped.size();

    restartReplaying(consumed);

    StreamMemory replayedApi = registry.get(0).memory().get(StreamKey.of("t", api));
    StreamMemory replayedWeb = registry.get(0).memory().get(StreamKey.of(tenantB, web));
    assertThat(replayedApi).isNotSameAs(liveApi);
    assertThat(replayedApi.chunks()).isEqualTo(apiChunks);
    assertThat(replayedWeb.chunks()).isEqualTo(webChunks);
    assertThat(query("{app=\"api\"}", 1000, Direction.FORWARD)).isEqualTo(apiEntries);
    assertThat(query(List.of(tenantB), "{app=\"web\"}", ALL_START, ALL_END, 1000, Direction.BACKWARD))
        .isEqualTo(webEntries);
    assertThat(series(List.of("t", tenantB), List.of())).isEqualTo(series);
    assertThat(registry.get(0).memory().replayOffset()).isEqualTo(firstUnflushed);
    assertThat(registry.get(0).replayed()).isTrue();
    assertThat(registry.get(0).lastOffset()).isEqualTo(consumed - 1);
    // the unreadable record was dead-lettered when it arrived: replay skips it and sends nothing
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(stats.deadLetters()).isZero();
    assertThat(stats.replaySkipped()).isEqualTo(1);
    assertThat(stats.replayedRecords()).isEqualTo(consumed);
    assertThat(stats.records()).isZero();
  }

  @Test
  void queriesDuringReplayLeaveThePartitionOutAndSeeAllOfItOnceReplayed() throws Exception {
    push("t", Labels.of("app", "first"), e(1, "one"));
    push("t", Labels.of("app", "second"), e(2, "two"));
    List<Logged> consumed = List.copyOf(piped);
    driver.close();
    CountDownLatch firstReplayed = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    ListReplaySource source = new ListReplaySource(consumed, 2);
    source.afterRecord = () -> {
      if (firstReplayed.getCount() > 0) {
        firstReplayed.countDown();
        await(resume);
      }
    };
    replay = source;

    // the driver's task locks its state directory for the thread that creates it: create and close it on one
    ExecutorService taskThread = Executors.newSingleThreadExecutor();
    Future<?> starting = taskThread.submit(this::startDriver); // its init blocks in the replay
    await(firstReplayed);

    assertThat(registry.get(0).replayed()).isFalse();
    // half replayed: not answered for (nor listed), so a querier never takes part of it as all of it
    QueryRequest during = new QueryRequest(IngesterProtocol.VERSION, List.of("t"), "{app=~\".+\"}", ALL_START,
        ALL_END, 100, Direction.FORWARD);
    assertThat(queries.query(during).streams()).isEmpty();
    assertThat(queries.query(during).partitions()).isEmpty();

    resume.countDown();
    starting.get(30, TimeUnit.SECONDS);
    assertThat(registry.get(0).replayed()).isTrue();
    assertThat(query("{app=~\".+\"}", 100, Direction.FORWARD)).flatExtracting(StreamResult::entries)
        .extracting(Entry::line).containsExactly("one", "two");
    assertThat(queries.query(during).partitions()).containsExactly(0);
    taskThread.submit(() -> {
      driver.close();
      driver = null;
    }).get(30, TimeUnit.SECONDS);
    taskThread.shutdown();
  }

  static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).as("latch released").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void aTenantsNewStreamsPastItsShareOfTheStreamLimitAreRefusedAndItsOtherStreamsStillAccepted() {
    // 10 streams per tenant over 4 partitions: 3 in this one
    streamLimit = new StreamLimit(10, () -> 4);
    driver.close();
    startDriver();
    for (int i = 1; i <= 3; i++) {
      push("t", Labels.of("app", "s" + i), e(i, "line of s" + i));
    }

    push("t", Labels.of("app", "s4"), e(4, "one too many"));
    push("t", Labels.of("app", "s1"), e(5, "s1 goes on"));
    for (int i = 1; i <= 3; i++) {
      push("u", Labels.of("app", "s" + i), e(i, "u's own share")); // other tenants have their own count
    }

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).singleElement().satisfies(r -> {
      assertThat(DeadLetters.header(r.headers(), DeadLetters.ERROR)).isEqualTo("Maximum active stream limit"
          + " exceeded, reduce the number of active streams (reduce labels or reduce label values), or contact your"
          + " Loki administrator to see if the limit can be increased, user: 't'");
      assertThat(DeadLetters.header(r.headers(), DeadLetters.ERROR_CODE)).isEqualTo("STREAM_LIMIT");
      assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("3");
    });
    assertThat(stats.deadLetters(DeadLetterReason.STREAM_LIMIT)).isEqualTo(1);
    assertThat(stats.deadLetters()).isEqualTo(1);
    assertThat(query("{app=~\"s.\"}", 100, Direction.FORWARD)).extracting(s -> s.labels().get("app"))
        .containsExactly("s1", "s2", "s3");
    assertThat(query("{app=\"s1\"}", 100, Direction.FORWARD)).singleElement()
        .satisfies(s -> assertThat(s.entries()).extracting(Entry::line).containsExactly("line of s1", "s1 goes on"));
    assertThat(query(List.of("u"), "{app=~\"s.\"}", ALL_START, ALL_END, 100, Direction.FORWARD)).hasSize(3);

    // a restart admits the same streams again and does not dead-letter the refused one twice
    restartReplaying(piped.size());
    assertThat(query("{app=~\"s.\"}", 100, Direction.FORWARD)).extracting(s -> s.labels().get("app"))
        .containsExactly("s1", "s2", "s3");
    assertThat(stats.replaySkipped()).isEqualTo(1);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  // ---- flush, retain, exclusion, checkpoint and replay from it ----

  /** The stream's chunks once every sealed one is flushed. */
  List<StreamMemory.ChunkInfo> awaitSealedFlushed(StreamMemory stream) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stream.chunks().stream()
        .allMatch(c -> c.sealed() == null || c.flushedKey() != null));
    return stream.chunks();
  }

  List<String> lines(List<StreamResult> streams) {
    return streams.stream().flatMap(s -> s.entries().stream()).map(Entry::line).toList();
  }

  List<String> query(String logql, List<String> exclude) {
    return lines(queries.query(new QueryRequest(IngesterProtocol.VERSION, List.of("t"), logql, ALL_START, ALL_END,
        1000, Direction.FORWARD, exclude)).streams());
  }

  static String longLine(String prefix) {
    return prefix + " " + "x".repeat(60);
  }

  @Test
  void fullChunksAreFlushedAsTheyAreSealedAndEveryChunkAtTheClose() {
    // 40-byte blocks, chunks full at their first block: every record with 40+ line bytes fills one
    chunks = new ChunkSettings(40, 1, Duration.ofMinutes(30), Duration.ofHours(2));
    driver.close();
    startDriver();
    Labels api = Labels.of("app", "api");
    push("t", api, e(10, longLine("one")), e(20, "two")); // offset 0: sealed full at its end
    push("t", api, e(5, "open and out of order")); // offset 1: the open chunk
    StreamMemory stream = registry.get(0).memory().get(StreamKey.of("t", api));

    List<StreamMemory.ChunkInfo> chunkInfos = awaitSealedFlushed(stream);
    assertThat(chunkInfos).hasSize(2);
    assertThat(chunkInfos.get(0).sealed()).isEqualTo(SealReason.FULL);
    String fullKey = chunkInfos.get(0).flushedKey();
    assertThat(flush.chunkKeys()).containsExactly(fullKey);
    assertThat(flush.entries(fullKey)).extracting(LogEntry::line).containsExactly(longLine("one"), "two");
    assertThat(flush.index.chunks("t", 0, 100)).extracting(ChunkRef::key).containsExactly(fullKey);
    assertThat(chunkInfos.get(1).flushedKey()).isNull();

    driver.close(); // a clean close: the open chunk is sealed (forced) and flushed before the task goes
    driver = null;

    assertThat(flush.chunkKeys()).hasSize(2);
    String forcedKey = flush.chunkKeys().stream().filter(k -> !k.equals(fullKey)).findFirst().orElseThrow();
    assertThat(flush.entries(forcedKey)).extracting(LogEntry::line).containsExactly("open and out of order");
    assertThat(ChunkKey.parse(forcedKey).fromNanos()).isEqualTo(5);
    // and the checkpoint says everything up to offset 1 is flushed
    ReplayCheckpoint c = flush.checkpointStore.read(0).orElseThrow();
    assertThat(c.replayFrom()).isEqualTo(2);
    assertThat(c.flushedThrough()).isEmpty();
  }

  @Test
  void idleAndOldChunksAreFlushedByThePunctuator() {
    retain = Duration.ofDays(1); // nothing is dropped while the test looks
    driver.close();
    startDriver();
    Labels old = Labels.of("app", "old");
    Labels idle = Labels.of("app", "idle");
    push("t", idle, e(1, "idle 1"));
    // a line every 20 minutes keeps "old" from idling; at 2h its chunk is too old
    for (int i = 0; i <= 6; i++) {
      push("t", old, e(100 + i, "old " + i));
      advance(Duration.ofMinutes(20));
    }
    StreamMemory oldStream = registry.get(0).memory().get(StreamKey.of("t", old));
    StreamMemory idleStream = registry.get(0).memory().get(StreamKey.of("t", idle));

    List<StreamMemory.ChunkInfo> oldChunks = awaitSealedFlushed(oldStream);
    List<StreamMemory.ChunkInfo> idleChunks = awaitSealedFlushed(idleStream);

    assertThat(idleChunks).singleElement().satisfies(c -> assertThat(c.sealed()).isEqualTo(SealReason.IDLE));
    assertThat(flush.entries(idleChunks.get(0).flushedKey())).extracting(LogEntry::line).containsExactly("idle 1");
    assertThat(oldChunks.get(0).sealed()).isEqualTo(SealReason.MAX_AGE);
    assertThat(flush.entries(oldChunks.get(0).flushedKey())).extracting(LogEntry::line)
        .containsExactly("old 0", "old 1", "old 2", "old 3", "old 4", "old 5");
  }

  @Test
  void aFlushedChunkAnswersUntilTheRetainPeriodEndsUnlessTheQuerierExcludesIt() {
    Labels api = Labels.of("app", "api");
    push("t", api, e(1, "flushed a"), e(2, "flushed b"));
    advance(Duration.ofMinutes(30)); // idle: sealed and flushed
    StreamMemory stream = registry.get(0).memory().get(StreamKey.of("t", api));
    String key = awaitSealedFlushed(stream).get(0).flushedKey();
    assertThat(key).isNotNull();
    push("t", api, e(3, "open c"));

    assertThat(query("{app=\"api\"}", List.of())).containsExactly("flushed a", "flushed b", "open c");
    assertThat(query("{app=\"api\"}", List.of(key))).containsExactly("open c");
    assertThat(query("{app=\"api\"}", List.of("t/chunks/0000000000000000/unrelated"))).hasSize(3);
    SamplesRequest count = new SamplesRequest(IngesterProtocol.VERSION, List.of("t"),
        "count_over_time({app=\"api\"}[1m])", null, ALL_START, ALL_END, 0L, 0L, List.of(key));
    assertThat(queries.samples(count).entriesScanned()).isEqualTo(1);
    assertThat(queries.samples(new SamplesRequest(IngesterProtocol.VERSION, List.of("t"),
        "count_over_time({app=\"api\"}[1m])", null, ALL_START, ALL_END, 0L, 0L, List.of())).entriesScanned())
        .isEqualTo(3);

    // flushed at the idle seal; the retain period (1m) ends and the next punctuation drops it
    advance(Duration.ofSeconds(30));
    assertThat(query("{app=\"api\"}", List.of())).hasSize(3);
    advance(Duration.ofSeconds(31));
    assertThat(query("{app=\"api\"}", List.of())).containsExactly("open c");
    assertThat(stream.chunks()).hasSize(1);
    assertThat(flush.entries(key)).extracting(LogEntry::line).containsExactly("flushed a", "flushed b");
  }

  /** Replays the piped records as Kafka would, from the partition's checkpoint in the store. */
  final class CheckpointReplaySource implements ReplaySource {
    final List<Logged> log;
    final long committed;

    CheckpointReplaySource(List<Logged> log, long committed) {
      this.log = List.copyOf(log);
      this.committed = committed;
    }

    @Override
    public ReplayPlan plan(int partition) {
      return ReplayPlan.of(partition, flush.checkpointStore.checkpoint(partition), committed, 0, log.size());
    }

    @Override
    public void read(ReplayPlan plan, ReplaySink sink) {
      new ListReplaySource(log, plan.end()).read(plan, sink);
    }
  }

  @Test
  void afterACrashTheReplayStartsAtTheCheckpointAndSkipsWhatIsFlushed() {
    chunks = new ChunkSettings(40, 1, Duration.ofMinutes(30), Duration.ofHours(2));
    driver.close();
    startDriver();
    Labels a = Labels.of("app", "a");
    Labels b = Labels.of("app", "b");
    push("t", b, e(1, "b1")); // offset 0: b's open chunk, unflushed
    push("t", a, e(2, longLine("a1"))); // 1: a full chunk
    push("t", a, e(3, longLine("a2"))); // 2: another
    push("t", b, e(4, "b2")); // 3
    push("t", a, e(5, "a3")); // 4: a's open chunk
    StreamMemory streamA = registry.get(0).memory().get(StreamKey.of("t", a));
    awaitSealedFlushed(streamA);
    assertThat(flush.chunkKeys()).hasSize(2);
    advance(Duration.ofSeconds(5)); // the checkpoint punctuator
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> flush.checkpointStore.read(0).isPresent());
    ReplayCheckpoint c = flush.checkpointStore.read(0).orElseThrow();
    assertThat(c.replayFrom()).isZero(); // b1 is the oldest unflushed record
    assertThat(c.flushedThrough()).containsExactly(Map.entry(
        new ReplayCheckpoint.StreamId("t", StreamKey.of("t", a).fingerprint()), 2L));

    // a crash, as far as the store knows: nothing more reaches it
    flush.store.fail.set(true);
    List<Logged> consumed = List.copyOf(piped);
    driver.close();
    flush.store.fail.set(false);
    stats = new IngestStats();
    replay = new CheckpointReplaySource(consumed, consumed.size());
    startDriver();

    assertThat(stats.replayedRecords()).isEqualTo(5);
    assertThat(stats.skippedAsFlushedCount()).isEqualTo(2); // a1 and a2: flushed
    assertThat(stats.replayedEntries()).isEqualTo(3);
    List<String> keys = flush.chunkKeys();
    List<String> everything = new ArrayList<>();
    keys.forEach(k -> flush.entries(k).forEach(e -> everything.add(e.line())));
    everything.addAll(query("{app=~\"a|b\"}", keys));
    assertThat(everything).containsExactlyInAnyOrder("b1", longLine("a1"), longLine("a2"), "b2", "a3");
  }

  @Test
  void aTenantThatCannotNameAnObjectKeyIsDeadLetteredAndNeverBlocksTheFlush() {
    push(".fjord-checkpoints", Labels.of("app", "x"), e(1, "never flushable"));
    push("t", Labels.of("app", "x"), e(1, "fine"));
    driver.close(); // flushes what is held
    driver = null;

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    // the tenant rules refuse the prefix the stores reserve (the ingester would refuse it again as
    // UNSTORABLE_TENANT were the rules ever to let it through)
    assertThat(dead).singleElement().satisfies(r -> {
      assertThat(DeadLetters.header(r.headers(), DeadLetters.ERROR_CODE)).isIn("INVALID_STREAM", "UNSTORABLE_TENANT");
      assertThat(DeadLetters.header(r.headers(), DeadLetters.ERROR)).contains(".fjord");
    });
    assertThat(flush.chunkKeys()).singleElement().satisfies(k -> assertThat(k).startsWith("t/chunks/"));
  }

  /**
   * Lines are read in place from the record's bytes: ASCII and valid UTF-8 are stored as sent, a
   * Kafka-native producer's invalid UTF-8 as its decoding (U+FFFD), and the same line sent again
   * in another record (other bytes around it) is still found a duplicate.
   */
  @Test
  void linesReadFromTheRecordBytesKeepValidUtf8AndReplaceInvalidUtf8() {
    Labels api = Labels.of("app", "api");
    byte[][] lines = {"plain".getBytes(StandardCharsets.UTF_8), "caf\u00e9 \ud83d\ude00".getBytes(StandardCharsets.UTF_8),
        {'b', (byte) 0xff, 'd'}};
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(new byte[] {'F', 'J', 1, 0, 1, 't', 1, 3, 'a', 'p', 'p', 3, 'a', 'p', 'i', (byte) lines.length});
    for (int i = 0; i < lines.length; i++) {
      body.writeBytes(java.nio.ByteBuffer.allocate(8).putLong(i + 1).array());
      body.write(lines[i].length);
      body.writeBytes(lines[i]);
      body.write(0);
    }
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(body.toByteArray());
    body.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    pipe(LogRecordCodec.encodeKey("t", io.fjord.schemas.labels.Fingerprint.of(api)), body.toByteArray());
    push("t", api, e(2, "caf\u00e9 \ud83d\ude00"), e(3, "b\ufffdd"), e(4, "new"));

    assertThat(query("{app=\"api\"}", List.of()))
        .containsExactly("plain", "caf\u00e9 \ud83d\ude00", "b\ufffdd", "new");
  }

  @Test
  void entriesFurtherBehindThanHalfTheMaxChunkAgeAreRefusedAndCounted() {
    long hour = Duration.ofHours(1).toNanos();
    Labels api = Labels.of("app", "api");
    push("t", api, e(10 * hour, "newest"));
    push("t", api, e(9 * hour, "just inside the window"), e(9 * hour - 1, "too far behind"));

    assertThat(query("{app=\"api\"}", List.of())).containsExactly("just inside the window", "newest");
    assertThat(stats.tooFarBehind("t")).isEqualTo(1);
    assertThat(stats.tooFarBehindBytes("t")).isEqualTo("too far behind".length());
  }

  @Test
  void aStreamWhoseChunksAreAllFlushedAndDroppedLeavesMemoryAndTheIndexAndFreesItsPlaceUnderTheLimit() {
    streamLimit = new StreamLimit(1, () -> 1); // one stream per tenant
    driver.close();
    startDriver();
    Labels first = Labels.of("app", "first");
    Labels second = Labels.of("app", "second");
    push("t", first, e(1, "first line"));
    push("t", second, e(2, "refused: the tenant has its one stream"));
    assertThat(stats.deadLetters(DeadLetterReason.STREAM_LIMIT)).isEqualTo(1);

    advance(Duration.ofMinutes(30)); // idle: sealed and flushed
    awaitSealedFlushed(registry.get(0).memory().get(StreamKey.of("t", first)));
    advance(Duration.ofSeconds(90)); // past the retain period: dropped, and the stream with it

    assertThat(registry.get(0).memory().get(StreamKey.of("t", first))).isNull();
    assertThat(registry.get(0).memory().streamCount("t")).isZero();
    assertThat(registry.get(0).index().series("t")).isEmpty();
    push("t", second, e(3, "second line"));
    assertThat(stats.deadLetters(DeadLetterReason.STREAM_LIMIT)).isEqualTo(1);
    assertThat(query("{app=~\".+\"}", List.of())).containsExactly("second line");
    // the removed stream's flushed records stay skipped by the next checkpoint
    advance(Duration.ofSeconds(5));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> flush.checkpointStore.read(0).isPresent());
    ReplayCheckpoint c = flush.checkpointStore.read(0).orElseThrow();
    assertThat(c.replayFrom()).isEqualTo(2); // "second line" (offset 2) is the oldest unflushed record
  }

  @Test
  void liveRecordsTheCheckpointCoversAreSkippedWhenTheCommittedOffsetLagsBehindIt() {
    Labels api = Labels.of("app", "api");
    push("t", api, e(1, "a")); // 0
    push("t", api, e(2, "b")); // 1
    push("t", api, e(3, "c")); // 2
    driver.close(); // flushes all three and checkpoints: replay from 3
    driver = null;
    assertThat(flush.checkpointStore.read(0).orElseThrow().replayFrom()).isEqualTo(3);
    List<Logged> consumed = List.copyOf(piped);

    // the group committed only offset 1 before it stopped: the task resumes there, live
    stats = new IngestStats();
    replay = new ReplaySource() {
      @Override
      public ReplayPlan plan(int partition) {
        return ReplayPlan.of(partition, flush.checkpointStore.checkpoint(partition), 1, 0, consumed.size());
      }

      @Override
      public void read(ReplayPlan plan, ReplaySink sink) {
        assertThat(plan.isEmpty()).as("nothing to replay: %s", plan).isTrue();
      }
    };
    startDriver();
    for (Logged r : consumed) {
      pipe(null, r.value()); // offsets 0..2 again, as the consumer re-reads them from offset 1 on
    }
    push("t", api, e(4, "d")); // 3: new

    // the plan starts at the checkpoint and the task takes live records only from there on
    assertThat(stats.handOverSkipped()).isEqualTo(3);
    assertThat(stats.records()).isEqualTo(1);
    assertThat(query("{app=\"api\"}", List.of())).containsExactly("d");
  }
}
