package io.fjord.app.replay;

import io.fjord.app.tool.ToolUsageException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.app.replay.ReplayJob.PartitionRange;
import io.fjord.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --from and --to resolved against a real topic of 2 partitions, each holding 3 records written at
 * 1000, 2000 and 3000 ms (offsets 0, 1, 2; end offset 3).
 */
class ReplayRangesTest {
  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static KafkaConsumer<byte[], byte[]> consumer;

  @BeforeAll
  static void topic() throws Exception {
    kafka = EmbeddedKafka.start(dir, 0, 0);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("logs", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int partition = 0; partition < 2; partition++) {
        for (long ms = 1000; ms <= 3000; ms += 1000) {
          p.send(new ProducerRecord<>("logs", partition, ms, null, new byte[] {1})).get(30, TimeUnit.SECONDS);
        }
      }
    }
    consumer = new KafkaConsumer<>(ReplayCommand.consumerSettings(kafka.bootstrapServers()));
  }

  @AfterAll
  static void stop() {
    consumer.close();
    kafka.close();
  }

  private static Position time(long ms) {
    return new Position.Time(Instant.ofEpochMilli(ms));
  }

  @Test
  void aTimeIsTheFirstRecordAtOrAfterItAndTheEndDefaultsToThePartitionsEnd() throws Exception {
    assertThat(ReplayJob.ranges(consumer, "logs", time(1500), null))
        .containsExactly(new PartitionRange(0, 1, 3), new PartitionRange(1, 1, 3));
    assertThat(ReplayJob.ranges(consumer, "logs", time(2000), time(3000)))
        .containsExactly(new PartitionRange(0, 1, 2), new PartitionRange(1, 1, 2));
    assertThat(ReplayJob.ranges(consumer, "logs", time(9000), null)).as("nothing at or after: empty")
        .allMatch(r -> r.size() == 0);
  }

  @Test
  void offsetsAreClampedToTheRecordsThePartitionHolds() throws Exception {
    assertThat(ReplayJob.ranges(consumer, "logs", new Position.Offset(0), new Position.Offset(99)))
        .containsExactly(new PartitionRange(0, 0, 3), new PartitionRange(1, 0, 3));
    assertThat(ReplayJob.ranges(consumer, "logs", new Position.Offset(5), null))
        .containsExactly(new PartitionRange(0, 3, 3), new PartitionRange(1, 3, 3));
  }

  @Test
  void aPartitionThatGivesNoRecordsForTheStallTimeFailsTheRunInsteadOfWaitingForEver() {
    ReplayTally tally = new ReplayTally();
    ReplayJob job = new ReplayJob(consumer, "logs", null, sink -> new ChunkCutter(1024, 4096, sink), null, tally,
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), java.time.Clock.systemUTC(),
        java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(1));
    // offsets 3..9 were never written: the consumer waits at 3
    assertThatThrownBy(() -> job.run(List.of(new PartitionRange(0, 0, 10))))
        .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class)
        .hasMessageContaining("partition 0 of logs gave no record past offset 3");
    assertThat(tally.records).isEqualTo(3);
    assertThat(tally.refused("not a Fjord log record")).as("one-byte values").isEqualTo(3);
  }

  @Test
  void namedPartitionsAreTheOnlyOnesReplayed() throws Exception {
    assertThat(ReplayJob.ranges(consumer, "logs", new Position.PartitionOffsets(Map.of(1, 1L)),
        new Position.PartitionOffsets(Map.of(0, 1L, 1, 2L)))).containsExactly(new PartitionRange(1, 1, 2));
    assertThatThrownBy(() -> ReplayJob.ranges(consumer, "logs", new Position.PartitionOffsets(Map.of(2, 0L)), null))
        .isInstanceOf(ToolUsageException.class).hasMessageContaining("partition 2 is not a partition of logs");
  }
}
