package io.fjord.ingester.metrics;

import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.chunk.SealReason;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.ingester.flush.FlushObserver;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.partition.PartitionState;
import io.fjord.ingester.stream.DeadLetterReason;
import io.fjord.ingester.stream.IngestStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The ingester's meters, bound to the counters the ingest path already keeps ({@link IngestStats})
 * and to the partitions' memory (read when scraped), not counted a second time:
 * {@code loki_ingester_memory_chunks}, {@code loki_ingester_memory_streams{tenant}},
 * {@code fjord_ingester_records_total}, {@code fjord_ingester_entries_total},
 * {@code fjord_ingester_duplicate_entries_total}, {@code fjord_ingester_dead_letter_records_total{reason}},
 * {@code fjord_ingester_replay_records_total}, {@code fjord_ingester_replay_bytes_total},
 * {@code fjord_ingester_partition_lag{partition}}, {@code loki_discarded_samples_total} and
 * {@code loki_discarded_bytes_total} with {@code reason="too_far_behind"} per tenant.
 *
 * <p>The flush ({@link FlushObserver}, called by flush threads): {@code
 * loki_ingester_chunks_flushed_total{reason}} (full, idle, max_age, forced),
 * {@code loki_ingester_chunk_size_bytes} and {@code loki_ingester_chunk_entries} (summaries of the
 * flushed objects), {@code loki_ingester_chunks_flush_failures_total}; gauges
 * {@code loki_ingester_flush_queue_length}, {@code fjord_ingester_unflushed_bytes},
 * {@code fjord_ingester_paused} (1 while backpressure pauses consumption), and
 * {@code fjord_ingester_checkpoint_writes_total{result}}.
 *
 * <p>The ingester calls {@link #discoverTenants()} and {@link #partitionLag} periodically: each new
 * tenant gets its streams gauge once; the lag rows are replaced by the partitions owned now.
 * Thread-safe.
 */
public final class IngesterMeters implements FlushObserver {
  private final MeterRegistry meters;
  private final PartitionRegistry partitions;
  private final IngestStats stats;
  private final Set<String> tenants = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Set<String> discardTenants = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final MultiGauge partitionLag;
  private final Map<SealReason, Counter> flushed = new java.util.EnumMap<>(SealReason.class);
  private final DistributionSummary chunkSize;
  private final DistributionSummary chunkEntries;
  private final Counter flushFailures;
  /** Held so the gauges' weakly referenced suppliers live as long as these meters. */
  private final FlushGauges flush;

  /** The flush's state, read when scraped. */
  public record FlushGauges(LongSupplier queueLength, LongSupplier unflushedBytes, BooleanSupplier paused,
      LongSupplier checkpointsWritten, LongSupplier checkpointsFailed) {
    public static final FlushGauges NONE = new FlushGauges(() -> 0, () -> 0, () -> false, () -> 0, () -> 0);
  }

  public IngesterMeters(MeterRegistry meters, PartitionRegistry partitions, IngestStats stats) {
    this(meters, partitions, stats, FlushGauges.NONE);
  }

  public IngesterMeters(MeterRegistry meters, PartitionRegistry partitions, IngestStats stats, FlushGauges flush) {
    this.meters = meters;
    this.partitions = partitions;
    this.stats = stats;
    this.flush = flush;
    for (SealReason reason : SealReason.values()) {
      flushed.put(reason, Counter.builder("loki.ingester.chunks.flushed")
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .description("Chunks flushed to the object store (stored and indexed), by why they were sealed.")
          .register(meters));
    }
    chunkSize = DistributionSummary.builder("loki.ingester.chunk.size.bytes").baseUnit("bytes")
        .description("Size of flushed chunk objects.").register(meters);
    chunkEntries = DistributionSummary.builder("loki.ingester.chunk.entries")
        .description("Entries per flushed chunk.").register(meters);
    flushFailures = Counter.builder("loki.ingester.chunks.flush.failures")
        .description("Flush attempts that failed (store or index unavailable, or too slow); each is retried.")
        .register(meters);
    Gauge.builder("loki.ingester.flush.queue.length", flush.queueLength(), s -> s.getAsLong())
        .description("Sealed chunks waiting to be flushed (or retried).").register(meters);
    Gauge.builder("fjord.ingester.unflushed.bytes", flush.unflushedBytes(), s -> s.getAsLong()).baseUnit("bytes")
        .description("Compressed bytes of sealed chunks not flushed yet; past ingester.max_unflushed_bytes"
            + " consumption pauses.").register(meters);
    Gauge.builder("fjord.ingester.paused", flush.paused(), s -> s.getAsBoolean() ? 1 : 0)
        .description("1 while consumption is paused because too many sealed chunks wait for the flush.")
        .register(meters);
    FunctionCounter.builder("fjord.ingester.checkpoint.writes", flush.checkpointsWritten(), s -> s.getAsLong())
        .tag("result", "ok").description("Replay checkpoint writes, by result.").register(meters);
    FunctionCounter.builder("fjord.ingester.checkpoint.writes", flush.checkpointsFailed(), s -> s.getAsLong())
        .tag("result", "failed").description("Replay checkpoint writes, by result.").register(meters);
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

  @Override
  public void flushed(SealReason reason, long bytes, int entries) {
    flushed.get(reason).increment();
    chunkSize.record(bytes);
    chunkEntries.record(entries);
  }

  @Override
  public void failed() {
    flushFailures.increment();
  }

  /** Registers the streams gauge of every tenant held in memory that has none yet. Any thread. */
  public void discoverTenants() {
    for (String tenant : stats.tooFarBehindTenants()) {
      if (discardTenants.add(tenant)) {
        FunctionCounter.builder("loki.discarded.samples", stats, s -> s.tooFarBehind(tenant))
            .tag("reason", "too_far_behind").tag("tenant", tenant)
            .description("The total number of samples that were discarded.").register(meters);
        FunctionCounter.builder("loki.discarded.bytes", stats, s -> s.tooFarBehindBytes(tenant))
            .tag("reason", "too_far_behind").tag("tenant", tenant)
            .description("The total number of bytes that were discarded.").register(meters);
      }
    }
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

}
