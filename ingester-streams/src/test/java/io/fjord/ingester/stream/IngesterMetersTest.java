package io.fjord.ingester.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.ingester.chunk.ChunkSettings;
import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.chunk.StreamKey;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.ingester.metrics.IngesterMeters;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.partition.PartitionState;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/** In this package because it drives {@link IngestStats}' package-private counters. */
class IngesterMetersTest {
  private static final ChunkSettings SETTINGS =
      new ChunkSettings(256 * 1024, 1536 * 1024, Duration.ofMinutes(1), Duration.ofHours(1));

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PartitionRegistry partitions = new PartitionRegistry();
  private final IngestStats stats = new IngestStats();
  private final IngesterMeters meters = new IngesterMeters(registry, partitions, stats);

  @Test
  void countersReadTheIngestStatsTheyAreBoundTo() {
    stats.record(3, 1);
    stats.record(2, 0);
    stats.deadLetter(DeadLetterReason.STREAM_LIMIT);

    assertThat(registry.get("fjord.ingester.records").functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("fjord.ingester.entries").functionCounter().count()).isEqualTo(5);
    assertThat(registry.get("fjord.ingester.duplicate.entries").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("fjord.ingester.dead.letter.records").tag("reason", "stream_limit")
        .functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("fjord.ingester.dead.letter.records").tag("reason", "unreadable_record")
        .functionCounter().count()).isZero();
  }

  @Test
  void flushEventsAreCountedByReasonWithSizeAndEntriesAndFailures() {
    meters.flushed(io.fjord.ingester.chunk.SealReason.IDLE, 1000, 10);
    meters.flushed(io.fjord.ingester.chunk.SealReason.IDLE, 3000, 30);
    meters.flushed(io.fjord.ingester.chunk.SealReason.FORCED, 500, 5);
    meters.failed();

    assertThat(registry.get("loki.ingester.chunks.flushed").tag("reason", "idle").counter().count()).isEqualTo(2);
    assertThat(registry.get("loki.ingester.chunks.flushed").tag("reason", "forced").counter().count()).isEqualTo(1);
    assertThat(registry.get("loki.ingester.chunks.flushed").tag("reason", "full").counter().count()).isZero();
    assertThat(registry.get("loki.ingester.chunk.size.bytes").summary().totalAmount()).isEqualTo(4500);
    assertThat(registry.get("loki.ingester.chunk.entries").summary().count()).isEqualTo(3);
    assertThat(registry.get("loki.ingester.chunk.entries").summary().max()).isEqualTo(30);
    assertThat(registry.get("loki.ingester.chunks.flush.failures").counter().count()).isEqualTo(1);
  }

  @Test
  void tooFarBehindEntriesAreCountedAsLokisDiscardedSamplesPerTenant() {
    stats.tooFarBehind("t1", 3, 120);
    stats.tooFarBehind("t1", 1, 10);
    meters.discoverTenants();

    assertThat(registry.get("loki.discarded.samples").tag("reason", "too_far_behind").tag("tenant", "t1")
        .functionCounter().count()).isEqualTo(4);
    assertThat(registry.get("loki.discarded.bytes").tag("reason", "too_far_behind").tag("tenant", "t1")
        .functionCounter().count()).isEqualTo(130);
  }

  @Test
  void memoryGaugesCountStreamsPerTenantAndChunks() {
    PartitionMemory p0 = register(0);
    PartitionMemory p1 = register(1);
    append(p0, "t1", "a", 0);
    append(p1, "t1", "b", 0);
    StreamMemory idle = append(p1, "t2", "c", 0);
    idle.sealIfDue(Duration.ofMinutes(2).toMillis());
    append(p1, "t2", "c", Duration.ofMinutes(2).toMillis());

    meters.discoverTenants();

    assertThat(registry.get("loki.ingester.memory.streams").tag("tenant", "t1").gauge().value()).isEqualTo(2);
    assertThat(registry.get("loki.ingester.memory.streams").tag("tenant", "t2").gauge().value()).isEqualTo(1);
    assertThat(registry.get("loki.ingester.memory.chunks").gauge().value()).isEqualTo(4);
    // sealing is not flushing: nothing is counted as flushed yet
    assertThat(registry.get("loki.ingester.chunks.flushed").tag("reason", "idle").counter().count()).isZero();

    append(p0, "t1", "d", 0);
    assertThat(registry.get("loki.ingester.memory.streams").tag("tenant", "t1").gauge().value()).isEqualTo(3);
  }

  @Test
  void partitionLagFollowsTheConsumersRecordsLagOfTheLogsTopicOnly() {
    Map<MetricName, Metric> kafka = new LinkedHashMap<>();
    put(kafka, "records-lag", "consumer-fetch-manager-metrics", "logs", "0", 12.0);
    put(kafka, "records-lag", "consumer-fetch-manager-metrics", "logs", "3", 0.0);
    put(kafka, "records-lag", "consumer-fetch-manager-metrics", "logs", "5", Double.NaN);
    put(kafka, "records-lag", "consumer-fetch-manager-metrics", "changelog", "1", 7.0);
    put(kafka, "records-lag-max", "consumer-fetch-manager-metrics", "logs", "0", 99.0);

    meters.partitionLag(kafka, "logs");

    assertThat(registry.find("fjord.ingester.partition.lag").gauges()).hasSize(2);
    assertThat(registry.get("fjord.ingester.partition.lag").tag("partition", "0").gauge().value()).isEqualTo(12);
    assertThat(registry.get("fjord.ingester.partition.lag").tag("partition", "3").gauge().value()).isZero();

    kafka.clear();
    put(kafka, "records-lag", "consumer-fetch-manager-metrics", "logs", "3", 4.0);
    meters.partitionLag(kafka, "logs");

    assertThat(registry.find("fjord.ingester.partition.lag").gauges()).as("partition 0 moved away").hasSize(1);
    assertThat(registry.get("fjord.ingester.partition.lag").tag("partition", "3").gauge().value()).isEqualTo(4);
  }

  private static void put(Map<MetricName, Metric> kafka, String name, String group, String topic, String partition,
      double value) {
    MetricName n = new MetricName(name, group, "", Map.of("client-id", "c", "topic", topic, "partition", partition));
    kafka.put(n, new Metric() {
      @Override
      public MetricName metricName() {
        return n;
      }

      @Override
      public Object metricValue() {
        return value;
      }
    });
  }

  private PartitionMemory register(int partition) {
    PartitionMemory memory = new PartitionMemory(partition, SETTINGS);
    partitions.register(new PartitionState(partition, memory, null));
    return memory;
  }

  private static StreamMemory append(PartitionMemory memory, String tenant, String app, long nowMillis) {
    StreamMemory stream = memory.getOrCreate(StreamKey.of(tenant, Labels.of("app", app)));
    stream.append(List.of(new LogEntry(nowMillis * 1_000_000 + 1, "line at " + nowMillis)), 0, nowMillis);
    return stream;
  }
}
