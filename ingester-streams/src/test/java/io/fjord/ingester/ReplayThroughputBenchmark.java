package io.fjord.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fjord.common.config.LimitsConfig;
import io.fjord.ingester.stream.IngestStats;
import io.fjord.kafka.embedded.EmbeddedKafka;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast a partition replays: fills a one-partition logs topic with {@code fjord.bench.mb} MB of
 * records (100 entries of ~150-byte log lines each, 500 streams), marks it all committed for the
 * ingester's group, starts an ingester and waits for its replay. Prints records/s and MB/s of
 * record values. Off by default; run with
 * {@code mvn -o -pl ingester-streams test -Dtest=ReplayThroughputBenchmark -Dfjord.bench=true [-Dfjord.bench.mb=300]}.
 */
@EnabledIfSystemProperty(named = "fjord.bench", matches = "true")
class ReplayThroughputBenchmark {
  @TempDir
  Path dir;

  @Test
  void replaysAPartition() throws Exception {
    long targetBytes = Long.getLong("fjord.bench.mb", 300) * 1_000_000;
    String topic = "bench-logs";
    String app = "bench-ingester";
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic("bench-dlq", 1, (short) 1),
          new NewTopic("bench-members", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      long[] produced = produce(kafka.bootstrapServers(), topic, targetBytes);
      TopicPartition tp = new TopicPartition(topic, 0);
      long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
      admin.alterConsumerGroupOffsets(app, Map.of(tp, new OffsetAndMetadata(end))).all().get();

      IngesterConfig config = new IngesterConfig(null, null, null, null, null, "bench-1", app, null, null, null,
          null, null, null, null, null, null, null, null, null);
      try (TestStorage storage = TestStorage.in(dir.resolve("store"));
          Ingester ingester = new Ingester(config, LimitsConfig.defaults(), kafka.bootstrapServers(), topic,
          "bench-members", "bench-dlq", dir.resolve("ingester"), storage.storage(), Clock.systemUTC())) {
        ingester.start("http://127.0.0.1:1");
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(ingester::ready);
        IngestStats s = ingester.stats();
        double seconds = s.replayNanos() / 1e9;
        System.out.printf(Locale.ROOT, "%nREPLAY BENCHMARK: %d records, %.1f MB of values (%d entries) in %.2f s:"
                + " %.0f records/s, %.1f MB/s, %.0f entries/s%n%n", s.replayedRecords(), s.replayedBytes() / 1e6,
            s.replayedEntries(), seconds, s.replayedRecords() / seconds, s.replayedBytes() / 1e6 / seconds,
            s.replayedEntries() / seconds);
        assertThat(s.replayedRecords()).isEqualTo(produced[0]);
        assertThat(s.replayedEntries()).isEqualTo(produced[1]);
      }
    }
  }

  /** Returns {records, entries}. */
  static long[] produce(String bootstrap, String topic, long targetBytes) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    SplittableRandom random = new SplittableRandom(42);
    String[] paths = {"/api/v1/items", "/api/v1/orders", "/login", "/static/app.js", "/api/v2/search"};
    String[] levels = {"info", "info", "info", "warn", "error", "debug"};
    long bytes = 0;
    long records = 0;
    long entries = 0;
    long ts = 1_700_000_000_000_000_000L;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      while (bytes < targetBytes) {
        int stream = random.nextInt(500);
        Labels labels = Labels.of("app", "svc-" + (stream % 50), "env", "prod", "pod", "pod-" + stream);
        List<LogEntry> batch = new ArrayList<>(100);
        for (int i = 0; i < 100; i++) {
          ts += random.nextInt(1_000_000);
          batch.add(new LogEntry(ts, String.format(Locale.ROOT,
              "level=%s method=GET path=%s/%d status=%d duration=%.1fms user=%08x trace_id=%016x",
              levels[random.nextInt(levels.length)], paths[random.nextInt(paths.length)], random.nextInt(100_000),
              random.nextInt(10) == 0 ? 500 : 200, random.nextDouble() * 200, random.nextInt(), random.nextLong())));
        }
        StreamBatch b = new StreamBatch("bench", labels, batch);
        byte[] value = LogRecordCodec.encodeValue(b);
        producer.send(new ProducerRecord<>(topic, 0, LogRecordCodec.encodeKey("bench", b.fingerprint()), value));
        bytes += value.length;
        records++;
        entries += batch.size();
      }
      producer.flush();
    }
    System.out.printf(Locale.ROOT, "produced %d records, %.1f MB%n", records, bytes / 1e6);
    return new long[] {records, entries};
  }
}
