package io.fjord.ingester.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka reader of replays against a real broker: plans from committed offsets, exact ranges, abort. */
class KafkaReplaySourceTest {
  static final String TOPIC = "replay-source-logs";
  static final int SMALL = 30;
  static final int LARGE = 40_000;

  @TempDir
  static Path dir;
  static EmbeddedKafka kafka;
  static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0);
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < SMALL; i++) {
        producer.send(new ProducerRecord<>(TOPIC, 0, 1_000L + i, null, ("value " + i).getBytes()));
      }
      for (int i = 0; i < LARGE; i++) {
        producer.send(new ProducerRecord<>(TOPIC, 1, null, ("v" + i).getBytes()));
      }
      producer.flush();
    }
  }

  @AfterAll
  static void stop() {
    admin.close();
    kafka.close();
  }

  static KafkaReplaySource source(String group, ReplayStart start) {
    return new KafkaReplaySource(kafka.bootstrapServers(), TOPIC, group, start, "replay-test");
  }

  /** Collects what a read passes. */
  static class Collect implements ReplaySink {
    final List<Long> offsets = new ArrayList<>();
    final List<Long> timestamps = new ArrayList<>();
    final List<String> values = new ArrayList<>();
    int batches;

    @Override
    public void record(long offset, long timestampMillis, byte[] value) {
      offsets.add(offset);
      timestamps.add(timestampMillis);
      values.add(new String(value));
    }

    @Override
    public void batchEnd() {
      batches++;
    }
  }

  @Test
  void plansFromTheReplayStartToTheGroupsCommittedOffset() throws Exception {
    admin.alterConsumerGroupOffsets("planned", Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(12)))
        .all().get(10, TimeUnit.SECONDS);

    try (KafkaReplaySource fromLogStart = source("planned", ReplayStart.logStart());
        KafkaReplaySource fromFour = source("planned", p -> new ReplayCheckpoint(p, 4, 0, Map.of()))) {
      assertThat(fromLogStart.plan(0)).isEqualTo(new ReplayPlan(0, 0, 12));
      ReplayPlan four = fromFour.plan(0);
      assertThat(List.of(four.start(), four.end(), four.checkpoint().replayFrom())).containsExactly(4L, 12L, 4L);
      // records but no committed offset: the task reads them live
      assertThat(fromLogStart.plan(1)).isEqualTo(new ReplayPlan(1, 0, 0));
      assertThat(fromLogStart.partitionCount()).isEqualTo(3);
    }
  }

  @Test
  void readsExactlyThePlannedRangeInOffsetOrder() {
    Collect sink = new Collect();
    try (KafkaReplaySource source = source("reader", ReplayStart.logStart())) {
      source.read(new ReplayPlan(0, 5, 20), sink);
    }

    List<Long> expected = new ArrayList<>();
    for (long o = 5; o < 20; o++) {
      expected.add(o);
    }
    assertThat(sink.offsets).isEqualTo(expected);
    assertThat(sink.values.get(0)).isEqualTo("value 5");
    assertThat(sink.values.get(14)).isEqualTo("value 19");
    assertThat(sink.timestamps.get(0)).isEqualTo(1_005L);
    assertThat(sink.batches).isPositive();
  }

  @Test
  void readsEveryBatchOfALargeRange() {
    Collect sink = new Collect();
    try (KafkaReplaySource source = source("reader", ReplayStart.logStart())) {
      source.read(new ReplayPlan(1, 0, LARGE), sink);
    }

    assertThat(sink.offsets).hasSize(LARGE);
    assertThat(sink.offsets.get(LARGE - 1)).isEqualTo(LARGE - 1);
    assertThat(sink.batches).isGreaterThan(1);
  }

  @Test
  void anAbortStopsARunningReadAndLaterOnes() {
    KafkaReplaySource source = source("aborted", ReplayStart.logStart());
    Collect sink = new Collect() {
      @Override
      public void record(long offset, long timestampMillis, byte[] value) {
        super.record(offset, timestampMillis, value);
        source.abort(); // as close() does from another thread
      }
    };
    try (source) {
      assertThatThrownBy(() -> source.read(new ReplayPlan(1, 0, LARGE), sink))
          .isInstanceOf(ReplayAbortedException.class);
      assertThat(sink.offsets.size()).isLessThan(LARGE);
      assertThatThrownBy(() -> source.read(new ReplayPlan(0, 0, 5), new Collect()))
          .isInstanceOf(ReplayAbortedException.class);
    }
  }
}
