package io.fjord.ingester.query;

import io.fjord.ingester.chunk.ChunkSettings;
import io.fjord.ingester.flush.FlushFixture;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.replay.ReplaySource;
import io.fjord.ingester.stream.DeadLetterHandlers;
import io.fjord.ingester.stream.IngestStats;
import io.fjord.ingester.stream.IngesterTopology;
import io.fjord.ingester.stream.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The ingester's real topology in a {@link TopologyTestDriver} for the query tests: topic "logs",
 * dead letters to "dlq", Loki's chunk defaults but for the block size, the flush of {@code flush},
 * partitions registered in {@code registry}. Stateless.
 */
final class QueryTopologyDriver {
  private QueryTopologyDriver() {}

  /** A driver whose memory chunks cut a block at {@code blockSize} bytes of lines; the caller closes it. */
  static TopologyTestDriver start(String applicationId, int blockSize, Path stateDir, PartitionRegistry registry,
      FlushFixture flush) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    IngestStats stats = new IngestStats();
    DeadLetterHandlers.configure(props, "dlq", stats);
    TopologySettings settings = new TopologySettings("logs", "dlq",
        new ChunkSettings(blockSize, 1536 * 1024, Duration.ofMinutes(30), Duration.ofHours(2)), Duration.ofSeconds(30));
    return new TopologyTestDriver(IngesterTopology.build(settings, registry, stats, ReplaySource.none(),
        flush.flusher, flush.checkpoints), props);
  }
}
