package io.fjord.ingester.stream;

import io.fjord.ingester.flush.Flusher;
import io.fjord.ingester.index.StreamIndex;
import io.fjord.ingester.replay.CheckpointWriter;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.replay.ReplaySource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * Builds the ingester's topology (Processor API): the logs topic → {@link IngestProcessor} (with
 * the index store) → the dead-letter topic for records it cannot ingest. Records are read as raw
 * bytes so that reading can never fail before the processor decides what to do with them. Each
 * task first replays its partition from {@code replay} (outside the topology: a plain consumer).
 * The same method serves production and {@code TopologyTestDriver} tests. Stateless.
 *
 * <pre>
 *   [logs topic] --bytes--> (ingest) --bad records--> [dead-letter topic]
 *                              |   ^  \-- sealed chunks --> flusher --> object store + chunk index
 *                              |   |                                  \-> replay checkpoint
 *                              |   +-- on init: replay [checkpoint, committed) of its partition
 *                        fjord-index (RocksDB, no changelog)
 * </pre>
 */
public final class IngesterTopology {
  static final String SOURCE = "logs";
  static final String PROCESSOR = "ingest";

  private IngesterTopology() {}

  /**
   * @param flusher flushes the chunks the tasks seal
   * @param checkpoints writes the partitions' replay checkpoints after flushes
   */
  public static Topology build(TopologySettings settings, PartitionRegistry registry, IngestStats stats,
      ReplaySource replay, Flusher flusher, CheckpointWriter checkpoints) {
    Topology t = new Topology();
    t.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), settings.logsTopic());
    t.addProcessor(PROCESSOR, () -> new IngestProcessor(settings, registry, stats, replay, flusher, checkpoints),
        SOURCE);
    t.addStateStore(StreamIndex.storeBuilder(), PROCESSOR);
    t.addSink(IngestProcessor.DEAD_LETTER_SINK, settings.deadLetterTopic(), new ByteArraySerializer(),
        new ByteArraySerializer(), PROCESSOR);
    return t;
  }
}
