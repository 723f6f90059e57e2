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
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * How fast partitions replay: fills a logs topic of {@code fjord.bench.partitions} partitions
 * (default 1) with {@code fjord.bench.mb} MB of records (100 entries of ~150-byte log lines each,
 * 500 streams spread over the partitions), marks it all committed for the ingester's group, starts
 * an ingester ({@code fjord.bench.threads} stream threads, default the configured default) and waits
 * until it is ready. Prints MB/s of record values over the replay's wall-clock span, and, because the
 * build machine's two cores are shared, what the replay cost: the process's CPU seconds (the
 * in-process broker's fetch work included) and GC time over start-to-ready, MB per CPU second, and
 * the load average. It replays {@code fjord.bench.runs} times (default 2), each time with a new
 * ingester: run 1 in a cold JVM (as after a crash), later runs with the replay path compiled. Off by default; run with
 * {@code mvn -o -pl ingester-streams test -Dtest=ReplayThroughputBenchmark -Dfjord.bench=true [-Dfjord.bench.mb=300]}.
 */
@EnabledIfSystemProperty(named = "fjord.bench", matches = "true")
class ReplayThroughputBenchmark {
  @TempDir
  Path dir;

  @Test
  void replaysAPartition() throws Exception {
    long targetBytes = Long.getLong("fjord.bench.mb", 300) * 1_000_000;
    int partitions = Integer.getInteger("fjord.bench.partitions", 1);
    Integer threads = Integer.getInteger("fjord.bench.threads");
    int runs = Integer.getInteger("fjord.bench.runs", 2);
    String topic = "bench-logs";
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1), new NewTopic("bench-dlq", 1, (short) 1),
          new NewTopic("bench-members", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      long[] produced = produce(kafka.bootstrapServers(), topic, partitions, targetBytes);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int i = 0; i < partitions; i++) {
        latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
      Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, info) -> committed.put(tp, new OffsetAndMetadata(info.offset())));
      for (int run = 1; run <= runs; run++) {
        // each run is a new ingester (own group, state and store) that replays everything: the first
        // in a cold JVM, as after a crash; later ones with the replay path compiled
        String app = "bench-ingester-" + run;
        admin.alterConsumerGroupOffsets(app, committed).all().get();
        replay(kafka, topic, app, run, partitions, threads, produced);
      }
    }
  }

  private void replay(EmbeddedKafka kafka, String topic, String app, int run, int partitions, Integer threads,
      long[] produced) throws Exception {
    IngesterConfig config = new IngesterConfig(null, null, null, null, null, "bench-" + run, app, null, threads,
        null, null, null, null, null, null, null, null, null, null);
    try (TestStorage storage = TestStorage.in(dir.resolve("store-" + run));
        Ingester ingester = new Ingester(config, LimitsConfig.defaults(), kafka.bootstrapServers(), topic,
            "bench-members", "bench-dlq", dir.resolve("ingester-" + run), storage.storage(), Clock.systemUTC())) {
      System.gc(); // the producer's (or the last run's) garbage is not this replay's
      Cost before = Cost.now();
      long started = System.nanoTime();
      ingester.start("http://127.0.0.1:1");
      await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20)).until(ingester::ready);
      double toReady = (System.nanoTime() - started) / 1e9;
      Cost cost = Cost.now().minus(before);
      IngestStats s = ingester.stats();
      double seconds = s.replayWallNanos() / 1e9;
      double mb = s.replayedBytes() / 1e6;
      System.out.printf(Locale.ROOT, "%nREPLAY BENCHMARK run %d (%s JVM): %d partition(s), %s stream thread(s):"
              + " %d records, %.1f MB of values (%d entries) replayed in %.2f s: %.1f MB/s, %.0f records/s,"
              + " %.0f entries/s; start to ready %.2f s (first replay began after %.2f s, ready %.2f s after the"
              + " last ended); process CPU %.2f s (%.0f MB per CPU s), GC %.2f s;"
              + " load average %.2f before, %.2f after%n%n", run, run == 1 ? "cold" : "warm", partitions,
          config.streamThreads(), s.replayedRecords(), mb, s.replayedEntries(), seconds, mb / seconds,
          s.replayedRecords() / seconds, s.replayedEntries() / seconds, toReady,
          (s.firstReplayStartNanos() - started) / 1e9, toReady - (s.firstReplayStartNanos() - started) / 1e9 - seconds,
          cost.cpuSeconds(),
          mb / cost.cpuSeconds(), cost.gcSeconds(), before.load(), Cost.now().load());
      assertThat(s.replayedRecords()).isEqualTo(produced[0]);
      assertThat(s.replayedEntries()).isEqualTo(produced[1]);
    }
  }

  /** CPU and GC time of this process so far, and the load average now. */
  private record Cost(double cpuSeconds, double gcSeconds, double load) {
    static Cost now() {
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long gcMillis = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        gcMillis += Math.max(0, gc.getCollectionTime());
      }
      return new Cost(os.getProcessCpuTime() / 1e9, gcMillis / 1e3, os.getSystemLoadAverage());
    }

    Cost minus(Cost earlier) {
      return new Cost(cpuSeconds - earlier.cpuSeconds, gcSeconds - earlier.gcSeconds, load);
    }
  }

  /** Returns {records, entries}; stream {@code s} goes to partition {@code s % partitions}. */
  static long[] produce(String bootstrap, String topic, int partitions, long targetBytes) throws Exception {
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
        producer.send(new ProducerRecord<>(topic, stream % partitions, LogRecordCodec.encodeKey("bench", b.fingerprint()), value));
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
