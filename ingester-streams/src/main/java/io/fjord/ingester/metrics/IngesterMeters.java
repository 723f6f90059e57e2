package io.fjord.ingester.metrics;

import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.chunk.SealReason;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.partition.PartitionState;
import io.fjord.ingester.stream.DeadLetterReason;
import io.fjord.ingester.stream.IngestStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The ingester's meters, bound to the counters the ingest path already keeps ({@link IngestStats})
 * and to the partitions' memory (read when scraped), not counted a second time:
 * {@code loki_ingester_memory_chunks}, {@code loki_ingester_memory_streams{tenant}},
 * {@code loki_ingester_chunks_flushed_total{reason}} (chunks sealed so far: nothing is flushed to
 * storage yet), {@code fjord_ingester_records_total}, {@code fjord_ingester_entries_total},
 * {@code fjord_ingester_duplicate_entries_total}, {@code fjord_ingester_dead_letter_records_total{reason}},
 * {@code fjord_ingester_replay_records_total}, {@code fjord_ingester_replay_bytes_total},
 * {@code fjord_ingester_partition_lag{partition}}.
 *
 * <p>The ingester calls {@link #discoverTenants()} and {@link #partitionLag} periodically: each new
 * tenant gets its streams gauge once; the lag rows are replaced by the partitions owned now.
 * Thread-safe.
 */
public final class IngesterMeters {
  private final MeterRegistry meters;
  private final PartitionRegistry partitions;
  private final Set<String> tenants = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final MultiGauge partitionLag;

  public IngesterMeters(MeterRegistry meters, PartitionRegistry partitions, IngestStats stats) {
    this.meters = meters;
    this.partitions = partitions;
    FunctionCounter.builder("fjord.ingester.records", stats, IngestStats::records)
        .description("Logs-topic records the ingester consumed live (not replayed).").register(meters);
    FunctionCounter.builder("fjord.ingester.entries", stats, IngestStats::entries)
        .description("Log entries stored in memory from live records.").register(meters);
    FunctionCounter.builder("fjord.ingester.duplicate.entries", stats, IngestStats::duplicates)
        .description("Entries dropped as duplicates of one already held (Kafka redelivery, client retry).")
        .register(meters);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      FunctionCounter.builder("fjord.ingester.dead.letter.records", stats, s -> s.deadLetters(reason))
          .tag("reason", reason.reason())
          .description("Logs-topic records sent to the dead-letter topic, by reason.").register(meters);
    }
    FunctionCounter.builder("fjord.ingester.replay.records", stats, IngestStats::replayedRecords)
        .description("Records read back from the logs topic by replays.").register(meters);
    FunctionCounter.builder("fjord.ingester.replay.bytes", stats, IngestStats::replayedBytes)
        .description("Record value bytes read back from the logs topic by replays.").register(meters);
    Gauge.builder("loki.ingester.memory.chunks", this, IngesterMeters::memoryChunks)
        .description("The total number of chunks in memory.").register(meters);
    for (SealReason reason : SealReason.values()) {
      FunctionCounter.builder("loki.ingester.chunks.flushed", this, m -> m.sealedChunks(reason))
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .description("Chunks sealed in memory, by reason (Fjord counts seals here: flushing to storage is not"
              + " built yet; chunks of a partition moved away leave the count).")
          .register(meters);
    }
    partitionLag = MultiGauge.builder("fjord.ingester.partition.lag")
        .description("Records of the logs topic not consumed yet, per partition this ingester owns (its Kafka"
            + " consumer's records-lag).")
        .register(meters);
  }

  /**
   * Sets {@code fjord_ingester_partition_lag} from the Kafka Streams clients' metrics: the
   * {@code records-lag} of each {@code topic} partition the consumers fetch now. Any thread.
   */
  public void partitionLag(Map<MetricName, ? extends Metric> kafkaMetrics, String topic) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (Metric m : kafkaMetrics.values()) {
      MetricName n = m.metricName();
      String partition = n.tags().get("partition");
      if (n.name().equals("records-lag") && n.group().equals("consumer-fetch-manager-metrics")
          && topic.equals(n.tags().get("topic")) && partition != null
          && m.metricValue() instanceof Number lag && !Double.isNaN(lag.doubleValue())) {
        rows.add(MultiGauge.Row.of(Tags.of("partition", partition), lag));
      }
    }
    partitionLag.register(rows, true);
  }

  /** Registers the streams gauge of every tenant held in memory that has none yet. Any thread. */
  public void discoverTenants() {
    Set<String> seen = new HashSet<>();
    for (PartitionState p : partitions.all()) {
      for (StreamMemory s : p.memory().streams()) {
        seen.add(s.key().tenant());
      }
    }
    for (String tenant : seen) {
      if (tenants.add(tenant)) {
        Gauge.builder("loki.ingester.memory.streams", this, m -> m.streams(tenant))
            .tag("tenant", tenant)
            .description("The total number of streams in memory per tenant.").register(meters);
      }
    }
  }

  private double streams(String tenant) {
    long n = 0;
    for (PartitionState p : partitions.all()) {
      n += p.memory().streamCount(tenant);
    }
    return n;
  }

  private double memoryChunks() {
    long n = 0;
    for (PartitionState p : partitions.all()) {
      for (StreamMemory s : p.memory().streams()) {
        n += s.chunks().size();
      }
    }
    return n;
  }

  private double sealedChunks(SealReason reason) {
    long n = 0;
    for (PartitionState p : partitions.all()) {
      PartitionMemory memory = p.memory();
      for (StreamMemory s : memory.streams()) {
        for (StreamMemory.ChunkInfo c : s.chunks()) {
          if (c.sealed() == reason) {
            n++;
          }
        }
      }
    }
    return n;
  }
}
