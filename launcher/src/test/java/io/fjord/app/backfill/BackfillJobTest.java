package io.fjord.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.distributor.limits.IngestionRateLimiter;
import io.fjord.distributor.push.LabelPair;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.ValidationLimits;
import io.fjord.common.config.LimitsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The run's bookkeeping over Kafka's MockConsumer (the real broker is in {@link BackfillEndToEndTest}):
 * it stops at the end offsets seen at start, starts from the committed offset, and commits only
 * after the batch is written.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a run that never ends fails, not hangs
class BackfillJobTest {
  private static final String TOPIC = "app";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private final BatchWriterTest.MutableClock clock = new BatchWriterTest.MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
  private final long ms = clock.millis() - 1000;
  /** Offsets committed before the run (MockConsumer forgets its own on assign, which the run calls). */
  private final Map<TopicPartition, OffsetAndMetadata> before = new HashMap<>();
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
    @Override
    public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>(before);
      all.putAll(super.committed(partitions));
      return all;
    }
  };
  /** Each write: the lines written and the offset committed when they were. */
  private final List<String> writes = new ArrayList<>();
  private final Tally tally = new Tally();

  private BackfillJob job(long end, int records) {
    consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    consumer.updateEndOffsets(Map.of(P0, end));
    consumer.schedulePollTask(() -> {
      for (int i = 0; i < records; i++) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, ms, TimestampType.CREATE_TIME, 0, 0, null,
            ("line " + i).getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty()));
      }
    });
    BatchWriter writer = new BatchWriter("fake", new PushValidator(ValidationLimits.from(LimitsConfig.defaults(), 1 << 20),
        clock), IngestionRateLimiter.of(LimitsConfig.defaults(), clock), 6 << 20, batches -> {
          OffsetAndMetadata c = consumer.committed(Set.of(P0)).get(P0);
          batches.forEach(b -> b.entries().forEach(e -> writes.add(e.line() + " @" + (c == null ? "-" : c.offset()))));
        }, 1 << 20, BatchWriter.SLEEP);
    Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()), false, clock, Duration.ofSeconds(5));
    return new BackfillJob(consumer, TOPIC, new LineReader(LineSpec.raw(List.of(new LabelPair("app", "x")))), writer,
        progress, tally, consumer::commitSync, 2, 1 << 20);
  }

  @Test
  void stopsAtTheEndOffsetsSeenAtStartAndCommitsEachBatchAfterItIsWritten() throws Exception {
    BackfillJob job = job(5, 7); // records 5 and 6 arrived after the start
    assertThat(job.run()).isEqualTo(BackfillJob.Outcome.DONE);
    // batches of two lines; each written while the previous batch's offsets were the committed ones
    assertThat(writes).containsExactly("line 0 @-", "line 1 @-", "line 2 @2", "line 3 @2", "line 4 @4");
    assertThat(consumer.committed(Set.of(P0)).get(P0).offset()).isEqualTo(5);
    assertThat(tally.read()).isEqualTo(5);
    assertThat(tally.accepted()).isEqualTo(5);
    assertThat(job.done()).isEqualTo(5);
    assertThat(job.lag()).isZero();
  }

  @Test
  void startsFromTheCommittedOffset() throws Exception {
    before.put(P0, new OffsetAndMetadata(3));
    BackfillJob job = job(5, 5);
    assertThat(job.run()).isEqualTo(BackfillJob.Outcome.DONE);
    assertThat(writes).containsExactly("line 3 @3", "line 4 @3");
    assertThat(job.total()).isEqualTo(2);
  }

  @Test
  void aTopicAlreadyImportedToItsEndReadsNothing() throws Exception {
    before.put(P0, new OffsetAndMetadata(5));
    BackfillJob job = job(5, 0);
    assertThat(job.run()).isEqualTo(BackfillJob.Outcome.DONE);
    assertThat(job.total()).isZero();
    assertThat(writes).isEmpty();
  }
}
