package io.fjord.ingester.stream;

import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.flush.Flusher;
import io.fjord.ingester.index.StreamIndex;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.partition.PartitionState;
import io.fjord.ingester.replay.CheckpointWriter;
import io.fjord.ingester.replay.ReplayAbortedException;
import io.fjord.ingester.replay.ReplayCheckpoint;
import io.fjord.ingester.replay.ReplayPlan;
import io.fjord.ingester.replay.ReplayReport;
import io.fjord.ingester.replay.ReplaySink;
import io.fjord.ingester.replay.ReplaySource;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Flush: sealed chunks go to the {@link Flusher} through the partition's lane; the seal
 * punctuator also drops chunks flushed more than {@code chunk_retain_period} ago. After flushes, a
 * second punctuator (every {@code replay_checkpoint_interval}) computes the partition's
 * {@link ReplayCheckpoint} on the stream thread, where it is consistent with memory, and hands it to
 * the {@link CheckpointWriter}. The replay starts from the checkpoint read at init, and the records
 * it says are flushed are skipped, in the replay and live.
 *
 * <p>On close (clean shutdown, or the partition moves away) a task that finished its replay seals
 * every open chunk, waits a bounded time for the partition's chunks to be flushed, and writes the
 * checkpoint; whatever is not flushed by then is rebuilt from Kafka by the next owner. Then it
 * unregisters the partition, waiting for running queries, before Kafka Streams closes the store.
 * Used by its stream thread only (the flush callback only sets a flag).
 */
final class IngestProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String DEAD_LETTER_SINK = "dead-letters";
  private static final Logger log = LoggerFactory.getLogger(IngestProcessor.class);

  private final TopologySettings settings;
  private final PartitionRegistry registry;
  private final IngestStats stats;
  private final ReplaySource replay;
  private final Flusher flusher;
  private final CheckpointWriter checkpoints;
  /** Set by flush threads when one of this partition's chunks is flushed; cleared when a checkpoint is taken. */
  private final AtomicBoolean flushedSinceCheckpoint = new AtomicBoolean();
  private Flusher.Lane lane;
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

  IngestProcessor(TopologySettings settings, PartitionRegistry registry, IngestStats stats, ReplaySource replay,
      Flusher flusher, CheckpointWriter checkpoints) {
    this.settings = settings;
    this.registry = registry;
    this.stats = stats;
    this.replay = replay;
    this.flusher = flusher;
    this.checkpoints = checkpoints;
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
    lane = flusher.lane(partition, () -> flushedSinceCheckpoint.set(true));
    ingest = new PartitionIngest(memory, index, streamLimit, lane::enqueue);
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
      lane.close();
      closeState();
      throw e;
    }
    context.schedule(settings.sealCheckPeriod(), PunctuationType.WALL_CLOCK_TIME, this::sealAndDrop);
    context.schedule(settings.checkpointInterval(), PunctuationType.WALL_CLOCK_TIME, now -> checkpointIfFlushed());
  }

  private void sealAndDrop(long nowMillis) {
    ingest.sealDue(nowMillis);
    ingest.dropFlushed(nowMillis, settings.retainPeriod().toMillis());
  }

  /** Hands the partition's checkpoint to the writer if a chunk was flushed since the last one. */
  private void checkpointIfFlushed() {
    if (flushedSinceCheckpoint.getAndSet(false)) {
      checkpoints.submit(checkpoint());
    }
  }

  private ReplayCheckpoint checkpoint() {
    return ingest.checkpoint(state.lastOffset() + 1, context.currentSystemTimeMs());
  }

  private void replay(int partition) {
    ReplayPlan plan = replay.plan(partition);
    liveFrom = plan.end();
    ingest.skipFlushed(plan.checkpoint());
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
      if (outcome.isRefused() || outcome.flushed()) {
        skipped++;
        if (outcome.flushed()) {
          stats.skippedAsFlushed();
        }
      } else {
        entries += outcome.appended();
        countTooFarBehind(outcome);
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
    } else if (outcome.flushed()) {
      stats.skippedAsFlushed();
    } else {
      ingest.syncIndex();
      stats.record(outcome.appended(), outcome.duplicates());
      countTooFarBehind(outcome);
    }
    state.processed(offset);
  }

  private void countTooFarBehind(IngestOutcome outcome) {
    if (outcome.tooFarBehind() > 0) {
      stats.tooFarBehind(outcome.tenant(), outcome.tooFarBehind(), outcome.tooFarBehindBytes());
    }
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
    try {
      if (state != null && state.replayed() && !aborted) {
        flushAndCheckpoint();
      }
    } catch (RuntimeException e) {
      log.warn("partition {}: flush at close failed; the next owner replays it: {}", state.partition(), e.toString());
    } finally {
      if (lane != null) {
        lane.close();
      }
      closeState();
    }
  }

  /** Seals and flushes every chunk (bounded wait), then writes the checkpoint. */
  private void flushAndCheckpoint() {
    ingest.sealAll();
    boolean all;
    try {
      all = lane.awaitFlushed(settings.closeFlushTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      all = false;
    }
    if (!all) {
      log.warn("partition {}: {} chunks not flushed within {} at close; the next owner replays them from Kafka",
          state.partition(), lane.pending(), settings.closeFlushTimeout());
    }
    if (flushedSinceCheckpoint.getAndSet(false)) {
      if (!checkpoints.write(checkpoint(), settings.closeFlushTimeout())) {
        log.warn("partition {}: the replay checkpoint was not written at close", state.partition());
      }
    }
  }

  /** Stops serving the partition: unregisters it, waiting for running queries. Idempotent. */
  private void closeState() {
    if (state != null) {
      registry.unregister(state);
      state.close();
    }
  }
}
