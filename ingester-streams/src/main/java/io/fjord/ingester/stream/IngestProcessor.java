package io.fjord.ingester.stream;

import io.fjord.ingester.chunk.AppendResult;
import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.chunk.StreamKey;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.ingester.index.StreamIndex;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.partition.PartitionState;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.RecordFormatException;
import io.fjord.schemas.record.StreamBatch;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor of one stream task (one logs-topic partition): decodes each record into a
 * {@link StreamBatch}, appends its entries to the stream's memory chunks, keeps the partition's
 * index in step, and forwards records it cannot ingest to the dead-letter sink with the reason.
 * A wall-clock punctuator seals idle and old chunks.
 *
 * <p>On init it clears the index store left on disk by an earlier run (memory starts empty, so the
 * index must too) and registers the partition for queries; on close it unregisters it, waiting for
 * running queries, before Kafka Streams closes the store. Used by its stream thread only.
 */
final class IngestProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String DEAD_LETTER_SINK = "dead-letters";
  private static final Logger log = LoggerFactory.getLogger(IngestProcessor.class);

  private final TopologySettings settings;
  private final PartitionRegistry registry;
  private final IngestStats stats;
  private ProcessorContext<byte[], byte[]> context;
  private PartitionState state;
  private PartitionMemory memory;
  private StreamIndex index;

  IngestProcessor(TopologySettings settings, PartitionRegistry registry, IngestStats stats) {
    this.settings = settings;
    this.registry = registry;
    this.stats = stats;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    int partition = context.taskId().partition();
    index = StreamIndex.of(context);
    int stale = index.clear();
    if (stale > 0) {
      log.info("partition {}: cleared {} index keys of an earlier run (memory starts empty)", partition, stale);
    }
    memory = new PartitionMemory(partition, settings.chunks());
    state = new PartitionState(partition, memory, index);
    registry.register(state);
    context.schedule(settings.sealCheckPeriod(), PunctuationType.WALL_CLOCK_TIME, this::sealDue);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
    if (record.value() == null) {
      deadLetter(record, DeadLetterReason.NO_VALUE, "record has no value", offset);
      return;
    }
    StreamBatch batch;
    try {
      batch = LogRecordCodec.decodeValue(record.value());
    } catch (RecordFormatException e) {
      deadLetter(record, DeadLetterReason.UNREADABLE_RECORD, "unreadable record: " + e.getMessage(), offset);
      return;
    }
    String problem = StreamValidator.problem(batch);
    if (problem != null) {
      deadLetter(record, DeadLetterReason.INVALID_STREAM, problem, offset);
      return;
    }
    ingest(batch, offset);
    state.processed(offset);
  }

  private void ingest(StreamBatch batch, long offset) {
    if (batch.entries().isEmpty()) {
      stats.record(0, 0);
      return;
    }
    Labels labels = batch.labels();
    StreamKey key = StreamKey.of(batch.tenant(), labels);
    boolean isNew = memory.get(key) == null;
    StreamMemory stream = memory.getOrCreate(key);
    AppendResult result = stream.append(batch.entries(), offset, context.currentSystemTimeMs());
    if (stream.takeIndexRangeChange()) {
      if (isNew) {
        index.add(key.tenant(), key.fingerprint(), labels, stream.minTs(), stream.maxTs());
      } else {
        index.updateRange(key.tenant(), key.fingerprint(), labels, stream.minTs(), stream.maxTs());
      }
    }
    stats.record(result.appended(), result.duplicates());
  }

  private void deadLetter(Record<byte[], byte[]> record, DeadLetterReason reason, String message, long offset) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(settings.logsTopic());
    int partition = context.taskId().partition();
    log.warn("partition {} offset {}: record sent to {}: {}", partition, offset, settings.deadLetterTopic(), message);
    stats.deadLetter(reason);
    context.forward(record.withHeaders(DeadLetters.headers(record.headers(), reason, message, topic, partition,
        offset)), DEAD_LETTER_SINK);
    state.processed(offset);
  }

  private void sealDue(long nowMillis) {
    for (StreamMemory stream : memory.streams()) {
      stream.sealIfDue(nowMillis);
    }
  }

  @Override
  public void close() {
    if (state != null) {
      registry.unregister(state);
      state.close();
    }
  }
}
