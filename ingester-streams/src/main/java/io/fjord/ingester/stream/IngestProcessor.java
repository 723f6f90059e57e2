package io.fjord.ingester.stream;

import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.index.StreamIndex;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.partition.PartitionState;
import io.fjord.ingester.replay.ReplayAbortedException;
import io.fjord.ingester.replay.ReplayPlan;
import io.fjord.ingester.replay.ReplayReport;
import io.fjord.ingester.replay.ReplaySink;
import io.fjord.ingester.replay.ReplaySource;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor of one stream task (one logs-topic partition). On init it rebuilds the partition's
 * memory chunks and index by replaying the logs topic ({@link ReplaySource}); then it ingests each
 * live record through the same {@link PartitionIngest} path, and forwards records it cannot ingest
 * to the dead-letter sink with the reason. A wall-clock punctuator seals idle and old chunks.
 *
 * <p>Replay (Kafka is the write-ahead log; nothing is kept in a changelog): the index store left
 * on disk by an earlier run is cleared, the partition is registered for queries, and the records of
 * {@link ReplayPlan} {@code [start, end)} are read with a plain consumer and ingested, where
 * {@code start} is the oldest unflushed offset and {@code end} the committed offset the task
 * resumes from. Init blocks until the replay is done: that delays the tasks of this stream thread,
 * and the replay must fit in the consumer's {@code max.poll.interval.ms}. Records refused during
 * replay are skipped, not dead-lettered again. Queries meanwhile see what has been replayed so far
 * (the index is written after each fetched batch); the partition reports itself replayed, which
 * readiness waits for, only at the end.
 *
 * <p>Hand-over: a live record at an offset below the replay end is not appended: replay read it.
 * (The task resumes at the committed offset, which is the replay end, so this only guards against
 * a consumer that resets below it.)
 *
 * <p>Stream limit: a record that would start a new stream for a tenant that already has its share
 * of {@code max_global_streams_per_user} in this partition is dead-lettered with Loki's "Maximum
 * active stream limit exceeded" text ({@link StreamLimit}). The distributor cannot know this limit
 * (Kafka decouples it from the ingesters), so the push was already acknowledged; the limit protects
 * ingester memory, as in Loki.
 *
 * <p>On close it unregisters the partition, waiting for running queries, before Kafka Streams
 * closes the store. Used by its stream thread only.
 */
final class IngestProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String DEAD_LETTER_SINK = "dead-letters";
  private static final Logger log = LoggerFactory.getLogger(IngestProcessor.class);

  private final TopologySettings settings;
  private final PartitionRegistry registry;
  private final IngestStats stats;
  private final ReplaySource replay;
  private ProcessorContext<byte[], byte[]> context;
  private PartitionState state;
  private PartitionIngest ingest;
  /** Live records below this offset were replayed. */
  private long liveFrom;
  /**
   * The replay was stopped by a shutdown: records are ignored until the task closes. (Nothing is
   * lost: memory is rebuilt from the log by the next owner, whatever this task commits.)
   */
  private boolean aborted;

  IngestProcessor(TopologySettings settings, PartitionRegistry registry, IngestStats stats, ReplaySource replay) {
    this.settings = settings;
    this.registry = registry;
    this.stats = stats;
    this.replay = replay;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    int partition = context.taskId().partition();
    StreamIndex index = StreamIndex.of(context);
    int stale = index.clear();
    if (stale > 0) {
      log.info("partition {}: cleared {} index keys of an earlier run; replay rebuilds the index", partition, stale);
    }
    PartitionMemory memory = new PartitionMemory(partition, settings.chunks());
    state = new PartitionState(partition, memory, index);
    int streamLimit = settings.streamLimit().perPartition();
    ingest = new PartitionIngest(memory, index, streamLimit);
    registry.register(state);
    try {
      replay(partition);
    } catch (ReplayAbortedException e) {
      // the ingester is closing: this task will not serve; let Kafka Streams shut it down quietly
      log.info("partition {}: {}", partition, e.getMessage());
      closeState();
      aborted = true;
      return;
    } catch (RuntimeException e) {
      closeState();
      throw e;
    }
    context.schedule(settings.sealCheckPeriod(), PunctuationType.WALL_CLOCK_TIME, ingest::sealDue);
  }

  private void replay(int partition) {
    ReplayPlan plan = replay.plan(partition);
    liveFrom = plan.end();
    long started = System.nanoTime();
    Replayed sink = new Replayed(context.currentSystemTimeMs());
    replay.read(plan, sink);
    ingest.syncIndex();
    ingest.sealDue(context.currentSystemTimeMs());
    ReplayReport report = new ReplayReport(plan, sink.records, sink.bytes, sink.entries, sink.skipped,
        System.nanoTime() - started);
    stats.replayed(report);
    if (plan.end() > 0) {
      state.processed(plan.end() - 1);
    }
    state.replayDone();
    if (plan.isEmpty()) {
      log.info("partition {}: nothing to replay ({})", partition, plan);
    } else {
      log.info("{}", report);
    }
  }

  /** Feeds replayed records through the ingest path; refused ones are counted, not dead-lettered again. */
  private final class Replayed implements ReplaySink {
    /** Record timestamps after this (clock skew) count as arriving now. */
    private final long nowMillis;
    long records;
    long bytes;
    long entries;
    long skipped;

    Replayed(long nowMillis) {
      this.nowMillis = nowMillis;
    }

    @Override
    public void record(long offset, long timestampMillis, byte[] value) {
      records++;
      if (value != null) {
        bytes += value.length;
      }
      IngestOutcome outcome;
      try {
        outcome = ingest.ingest(value, offset, Math.min(timestampMillis, nowMillis));
      } catch (RuntimeException e) {
        // failed the same way live, where the processing exception handler dead-lettered it
        log.debug("partition {} offset {}: skipped during replay: {}", state.partition(), offset, e.toString());
        skipped++;
        return;
      }
      if (outcome.isRefused()) {
        skipped++;
      } else {
        entries += outcome.appended();
      }
    }

    @Override
    public void batchEnd() {
      ingest.syncIndex();
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (aborted) {
      return;
    }
    long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
    if (offset >= 0 && offset < liveFrom) {
      stats.skippedByHandOver();
      state.processed(offset);
      return;
    }
    IngestOutcome outcome = ingest.ingest(record.value(), offset, context.currentSystemTimeMs());
    if (outcome.isRefused()) {
      deadLetter(record, outcome.refusal(), outcome.message(), offset);
    } else {
      ingest.syncIndex();
      stats.record(outcome.appended(), outcome.duplicates());
    }
    state.processed(offset);
  }

  private void deadLetter(Record<byte[], byte[]> record, DeadLetterReason reason, String message, long offset) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(settings.logsTopic());
    int partition = context.taskId().partition();
    log.warn("partition {} offset {}: record sent to {}: {}", partition, offset, settings.deadLetterTopic(), message);
    stats.deadLetter(reason);
    context.forward(record.withHeaders(DeadLetters.headers(record.headers(), reason, message, topic, partition,
        offset)), DEAD_LETTER_SINK);
  }

  @Override
  public void close() {
    closeState();
  }

  /** Stops serving the partition: unregisters it, waiting for running queries. Idempotent. */
  private void closeState() {
    if (state != null) {
      registry.unregister(state);
      state.close();
    }
  }
}
