package io.fjord.distributor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fjord.common.config.ByteSize;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.distributor.testing.PushServer;
import io.fjord.distributor.testing.PushServer.Answer;
import io.fjord.kafka.embedded.EmbeddedKafka;
import io.fjord.schemas.labels.Fingerprint;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.push.PushProto;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xerial.snappy.Snappy;

/** The distributor end to end: real HTTP in, a real (embedded) Kafka broker out. */
class DistributorKafkaTest {
  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static long now() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static StreamBatch decode(ConsumerRecord<byte[], byte[]> record) {
    return LogRecordCodec.decodeValue(record.value());
  }

  /** Kafka's default partitioner for a keyed record, from its documented formula. */
  static int partitionOf(byte[] key) {
    return Utils.toPositive(Utils.murmur2(key)) % PushServer.PARTITIONS;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Test
  void aJsonPushIsOnTheTopicWhenAnswered204() {
    long t1 = now();
    long t2 = t1 + 1;
    try (PushServer server = new PushServer(kafka.bootstrapServers())) {
      Answer answer = server.pushJson("""
          {"streams": [
            {"stream": {"app": "api", "env": "prod"},
             "values": [["%d", "first line"], ["%d", "second line", {"trace_id": "abc"}]]},
            {"stream": {"app": "web"}, "values": [["%d", "web line"]]}]}""".formatted(t2, t1, t1));

      assertThat(answer.status()).as(answer.body()).isEqualTo(204);
      List<ConsumerRecord<byte[], byte[]>> records = server.records();
      assertThat(records).hasSize(2);
      assertThat(records).extracting(DistributorKafkaTest::decode).containsExactlyInAnyOrder(
          new StreamBatch("fake", Labels.of("app", "api", "env", "prod"), List.of(
              new LogEntry(t2, "first line"), new LogEntry(t1, "second line", Labels.of("trace_id", "abc")))),
          new StreamBatch("fake", Labels.of("app", "web"), List.of(new LogEntry(t1, "web line"))));
      for (ConsumerRecord<byte[], byte[]> record : records) {
        StreamBatch batch = decode(record);
        assertThat(record.key()).isEqualTo(LogRecordCodec.encodeKey("fake", Fingerprint.of(batch.labels())));
        assertThat(record.partition()).isEqualTo(partitionOf(record.key()));
      }
    }
  }

  @Test
  void aSnappyProtobufPushWithATenantHeaderIsWrittenForThatTenant() throws IOException {
    long t = now();
    TenantResolver auth = new TenantResolver(true, false);
    try (PushServer server = new PushServer(kafka.bootstrapServers(), DistributorConfig.defaults(), LimitsConfig.defaults(), auth)) {
      byte[] body = Snappy.compress(PushProto.PushRequest.newBuilder()
          .addStreams(PushProto.StreamAdapter.newBuilder().setLabels("{job=\"loki4j\", level=\"INFO\"}")
              .addEntries(PushProto.EntryAdapter.newBuilder()
                  .setTimestamp(PushProto.Timestamp.newBuilder().setSeconds(t / 1_000_000_000L).setNanos((int) (t % 1_000_000_000L)))
                  .setLine("from protobuf")
                  .addStructuredMetadata(PushProto.LabelPairAdapter.newBuilder().setName("thread").setValue("main"))))
          .build().toByteArray());

      Answer answer = server.post("/loki/api/v1/push", body, "Content-Type", "application/x-protobuf", "X-Scope-OrgID", "team-a");
      Answer noTenant = server.post("/loki/api/v1/push", body, "Content-Type", "application/x-protobuf");

      assertThat(answer.status()).as(answer.body()).isEqualTo(204);
      assertThat(noTenant.status()).isEqualTo(401);
      List<ConsumerRecord<byte[], byte[]>> records = server.records();
      assertThat(records).extracting(DistributorKafkaTest::decode).containsExactly(
          new StreamBatch("team-a", Labels.of("job", "loki4j", "level", "INFO"),
              List.of(new LogEntry(t, "from protobuf", Labels.of("thread", "main")))));
      assertThat(records.get(0).key()).isEqualTo(LogRecordCodec.encodeKey("team-a", Fingerprint.of(Labels.of("job", "loki4j", "level", "INFO"))));
    }
  }

  @Test
  void gzipAndLegacyPushesAreWrittenToo() {
    long t = now();
    try (PushServer server = new PushServer(kafka.bootstrapServers())) {
      byte[] gz = gzip(("{\"streams\":[{\"stream\":{\"app\":\"gz\"},\"values\":[[\"" + t + "\",\"zipped\"]]}]}")
          .getBytes(StandardCharsets.UTF_8));
      String legacy = "{\"streams\":[{\"labels\":\"{app=\\\"old\\\"}\",\"entries\":[{\"ts\":\"" + Instant.now() + "\",\"line\":\"legacy\"}]}]}";

      assertThat(server.post("/loki/api/v1/push", gz, "Content-Type", "application/json", "Content-Encoding", "gzip").status())
          .isEqualTo(204);
      assertThat(server.post("/api/prom/push", legacy.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json").status())
          .isEqualTo(204);

      assertThat(server.records()).extracting(r -> decode(r).entries().get(0).line()).containsExactlyInAnyOrder("zipped", "legacy");
    }
  }

  @Test
  void aPartlyInvalidPushWritesOnlyTheValidStreamAndAnswers400NamingTheRest() {
    long t = now();
    try (PushServer server = new PushServer(kafka.bootstrapServers())) {
      Answer answer = server.pushJson("""
          {"streams": [
            {"stream": {"app": "good"}, "values": [["%d", "kept"], ["1", "too old"]]},
            {"stream": {"bad-name": "x"}, "values": [["%d", "dropped"]]}]}""".formatted(t, t));

      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.body())
          .contains("entry for stream '{app=\"good\"}' has timestamp too old: 1970-01-01 00:00:00.000000001 +0000 UTC")
          .contains("error parsing labels '{bad-name=\"x\"}' with error: invalid label name \"bad-name\"");
      assertThat(server.records()).extracting(DistributorKafkaTest::decode).containsExactly(
          new StreamBatch("fake", Labels.of("app", "good"), List.of(new LogEntry(t, "kept"))));
    }
  }

  @Test
  void aPushOverTheTenantsRateLimitIs429AndWritesNothing() {
    // 1 KiB/s with a 2 KiB burst
    LimitsConfig tiny = new LimitsConfig(1.0 / 1024, 2.0 / 1024, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null);
    long t = now();
    try (PushServer server = new PushServer(kafka.bootstrapServers(), DistributorConfig.defaults(), tiny,
        new TenantResolver(false, false))) {
      Answer answer = server.pushJson("{\"streams\":[{\"stream\":{\"app\":\"a\"},\"values\":[[\"" + t + "\",\""
          + "x".repeat(3000) + "\"]]}]}");

      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.body()).startsWith("ingestion rate limit exceeded for user fake (limit: 1024 bytes/sec)"
          + " while attempting to ingest '1' lines totaling '3000' bytes");
      assertThat(server.records()).isEmpty();
    }
  }

  @Test
  void aVeryLargeStreamIsSplitIntoRecordsOfOnePartitionInPushOrder() {
    long t = now();
    StringBuilder json = new StringBuilder("{\"streams\":[{\"stream\":{\"app\":\"big\"},\"values\":[");
    int lines = 4000;
    for (int i = 0; i < lines; i++) {
      json.append(i > 0 ? "," : "").append("[\"").append(t + i).append("\",\"").append(i).append(' ')
          .append("y".repeat(1000)).append("\"]");
    }
    json.append("]}]}");
    try (PushServer server = new PushServer(kafka.bootstrapServers())) {
      assertThat(server.pushJson(json.toString()).status()).isEqualTo(204);

      List<ConsumerRecord<byte[], byte[]>> records = server.records();
      assertThat(records).hasSizeGreaterThanOrEqualTo(4); // ~4 MB of lines, records under 1000 KiB
      assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
      assertThat(records).allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(1000 * 1024));
      records.sort((a, b) -> Long.compare(a.offset(), b.offset()));
      List<String> prefixes = new ArrayList<>();
      records.forEach(r -> decode(r).entries().forEach(e -> prefixes.add(e.line().substring(0, e.line().indexOf(' ')))));
      assertThat(prefixes).hasSize(lines);
      for (int i = 0; i < lines; i++) {
        assertThat(prefixes.get(i)).isEqualTo(String.valueOf(i));
      }
    }
  }

  /** A push the distributor must refuse: how to send it and what it must answer. */
  record BadPush(String path, Supplier<byte[]> body, String[] headers, int status, String message) {
    @Override
    public String toString() {
      return path + " " + String.join(" ", headers);
    }
  }

  static final String JSON = "application/json";
  static final String PROTO = "application/x-protobuf";

  static Stream<Arguments> badPushes() {
    long t = now();
    String valid = "{\"streams\":[{\"stream\":{\"app\":\"x\"},\"values\":[[\"" + t + "\",\"l\"]]}]}";
    return Stream.of(
        arguments("truncated JSON", (Supplier<byte[]>) () -> valid.substring(0, valid.length() - 5).getBytes(StandardCharsets.UTF_8),
            new String[] {"Content-Type", JSON}, 400, "invalid JSON at line 1"),
        arguments("wrong JSON types", (Supplier<byte[]>) () -> "{\"streams\":[{\"stream\":{\"app\":1}}]}".getBytes(StandardCharsets.UTF_8),
            new String[] {"Content-Type", JSON}, 400, "streams[0].stream.app: expected a string value, got a number"),
        arguments("non-numeric timestamp", (Supplier<byte[]>) () -> valid.replace(String.valueOf(t), "yesterday").getBytes(StandardCharsets.UTF_8),
            new String[] {"Content-Type", JSON}, 400, "streams[0].values[0][0]: invalid timestamp \"yesterday\""),
        arguments("broken snappy", (Supplier<byte[]>) () -> "definitely not snappy".getBytes(StandardCharsets.UTF_8),
            new String[] {"Content-Type", PROTO}, 400, "cannot decompress snappy body"),
        arguments("broken protobuf", (Supplier<byte[]>) () -> snappy(new byte[] {0x0a, 0x7f, 0x01}),
            new String[] {"Content-Type", PROTO}, 400, "cannot parse protobuf PushRequest"),
        arguments("broken gzip", (Supplier<byte[]>) () -> valid.getBytes(StandardCharsets.UTF_8),
            new String[] {"Content-Type", JSON, "Content-Encoding", "gzip"}, 400, "cannot decompress gzip body"),
        arguments("gzip bomb", (Supplier<byte[]>) DistributorKafkaTest::gzipBomb,
            new String[] {"Content-Type", JSON, "Content-Encoding", "gzip"}, 413,
            "decompressed body exceeds max_decompressed_body_size of 16MB"),
        arguments("snappy bomb", (Supplier<byte[]>) () -> snappy(new byte[64 << 20]),
            new String[] {"Content-Type", PROTO}, 413, "decompressed body exceeds max_decompressed_body_size of 16MB"),
        arguments("a 10 MB line", (Supplier<byte[]>) () -> lineOf(10 << 20, t).getBytes(StandardCharsets.UTF_8),
            new String[] {"Content-Type", JSON}, 413, "request body too large: more than 10MB"),
        arguments("a 10 MB line, gzipped", (Supplier<byte[]>) () -> gzip(lineOf(10 << 20, t).getBytes(StandardCharsets.UTF_8)),
            new String[] {"Content-Type", JSON, "Content-Encoding", "gzip"}, 400,
            "Max entry size '262144' bytes exceeded for stream '{app=\"x\"}' while adding an entry with length '10485760' bytes"),
        arguments("10,000 labels", (Supplier<byte[]>) () -> tenThousandLabels(t),
            new String[] {"Content-Type", JSON}, 400, "has 10000 label names; limit 15"),
        arguments("unsupported encoding", (Supplier<byte[]>) () -> valid.getBytes(StandardCharsets.UTF_8),
            new String[] {"Content-Type", JSON, "Content-Encoding", "br"}, 415, "Content-Encoding \"br\" not supported"));
  }

  static byte[] snappy(byte[] data) {
    try {
      return Snappy.compress(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String lineOf(int size, long t) {
    return "{\"streams\":[{\"stream\":{\"app\":\"x\"},\"values\":[[\"" + t + "\",\"" + "z".repeat(size) + "\"]]}]}";
  }

  /** A JSON prefix, then 64 MB of spaces: about 64 KB gzipped. */
  static byte[] gzipBomb() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write("{\"streams\":[".getBytes(StandardCharsets.UTF_8));
      byte[] spaces = new byte[1 << 20];
      Arrays.fill(spaces, (byte) ' ');
      for (int i = 0; i < 64; i++) {
        out.write(spaces);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] tenThousandLabels(long t) {
    StringBuilder json = new StringBuilder("{\"streams\":[{\"stream\":{");
    for (int i = 0; i < 10_000; i++) {
      json.append(i > 0 ? "," : "").append("\"label_").append(i).append("\":\"v\"");
    }
    return json.append("},\"values\":[[\"").append(t).append("\",\"l\"]]}]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0} -> {3}")
  @MethodSource("badPushes")
  void aBadBodyGetsTheRight4xxAndTheServerKeepsServing(String name, Supplier<byte[]> body, String[] headers, int status,
      String message) {
    DistributorConfig config = new DistributorConfig(null, ByteSize.ofMiB(16), null, null);
    try (PushServer server = new PushServer(kafka.bootstrapServers(), config, LimitsConfig.defaults(),
        new TenantResolver(false, false))) {
      Answer answer = server.post("/loki/api/v1/push", body.get(), headers);

      assertThat(answer.status()).as(answer.body()).isEqualTo(status);
      assertThat(answer.body()).contains(message);

      long t = now();
      Answer next = server.pushJson("{\"streams\":[{\"stream\":{\"app\":\"after\"},\"values\":[[\"" + t + "\",\"still here\"]]}]}");
      assertThat(next.status()).as(next.body()).isEqualTo(204);
      assertThat(server.records()).extracting(DistributorKafkaTest::decode).containsExactly(
          new StreamBatch("fake", Labels.of("app", "after"), List.of(new LogEntry(t, "still here"))));
    }
  }

  @Test
  void anEmptyPushIs204AndWritesNothing() {
    try (PushServer server = new PushServer(kafka.bootstrapServers())) {
      assertThat(server.pushJson("{\"streams\":[]}").status()).isEqualTo(204);
      assertThat(server.records()).isEmpty();
    }
  }
}
