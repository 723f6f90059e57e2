package io.fjord.app.backfill;

import io.fjord.schemas.text.Utf8;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * One run of a backfill over the source topic: from the offsets the job's consumer group committed
 * (or the beginning) up to the end offsets seen when the run starts (a backfill, not a tail). Reads
 * records in batches, turns them into lines ({@link LineReader}), stores each batch through the push
 * API's validation ({@link BatchWriter}) and only after Kafka acknowledged it commits the offsets
 * of the records it covered. A run that stops anywhere, even killed, therefore resumes without
 * loss; records produced but not yet committed are produced again and the ingester drops them as
 * exact duplicates. Partitions are assigned, not subscribed: one run of a job at a time.
 *
 * <p>Thread-safety: {@link #run} on one thread; {@link #stop} from any thread (it ends the run after
 * the batch in hand is stored and committed).
 */
final class BackfillJob {
  private static final Duration POLL = Duration.ofMillis(200);

  /** Commits offsets; the seam where tests make a run die between the write and the commit. */
  interface Committer {
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets);
  }

  /** How a run ended. */
  enum Outcome {
    /** Every record up to the end offsets seen at start is imported (possibly none were left). */
    DONE,
    /** {@link #stop} was called; what was committed stays imported, a new run resumes. */
    STOPPED
  }

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final LineReader reader;
  private final BatchWriter writer;
  private final Progress progress;
  private final Tally tally;
  private final Committer committer;
  private final int maxBatchLines;
  private final long maxBatchBytes;
  private volatile boolean stopped;

  private final List<LineReader.Line> pending = new ArrayList<>();
  private long pendingBytes;
  /** Per partition: the offset after the last record taken (read and in the batch or rejected). */
  private final Map<TopicPartition, Long> next = new HashMap<>();
  /** Per partition: the offset this run last committed, at first where it started. */
  private final Map<TopicPartition, Long> mark = new HashMap<>();
  private final Map<TopicPartition, Long> end = new HashMap<>();
  private long total;
  private long done;
  private long skippedByRetention;

  BackfillJob(Consumer<byte[], byte[]> consumer, String topic, LineReader reader, BatchWriter writer, Progress progress,
      Tally tally, Committer committer, int maxBatchLines, long maxBatchBytes) {
    this.consumer = consumer;
    this.topic = topic;
    this.reader = reader;
    this.writer = writer;
    this.progress = progress;
    this.tally = tally;
    this.committer = committer;
    this.maxBatchLines = maxBatchLines;
    this.maxBatchBytes = maxBatchBytes;
  }

  /**
   * Runs to the end offsets or until stopped. Throws {@link MissingTopicException} when the topic
   * does not exist, the push path's {@link io.fjord.distributor.push.PushException} when Kafka does
   * not acknowledge a batch, Kafka's exceptions when the source cannot be read.
   */
  Outcome run() throws InterruptedException {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new MissingTopicException(topic);
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    consumer.assign(partitions);
    end.putAll(consumer.endOffsets(partitions));
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
    Map<TopicPartition, OffsetAndMetadata> previous = consumer.committed(new HashSet<>(partitions));
    Set<TopicPartition> active = new HashSet<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata c = previous.get(tp);
      long first = beginning.getOrDefault(tp, 0L);
      long start = first;
      if (c != null) {
        start = Math.max(c.offset(), first);
        skippedByRetention += Math.max(0, first - c.offset());
      }
      next.put(tp, start);
      mark.put(tp, start);
      long last = end.getOrDefault(tp, 0L);
      if (start < last) {
        consumer.seek(tp, start);
        active.add(tp);
        total += last - start;
      }
    }
    consumer.pause(partitions.stream().filter(tp -> !active.contains(tp)).toList());
    progress.start(topic, total);
    try {
      while (!active.isEmpty() && !stopped) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (stopped) {
            break; // the records not taken are not committed: the next run reads them again
          }
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(tp)) {
            continue; // written after the run started: a later run imports it
          }
          take(tp, new SourceRecord(r.partition(), r.offset(), r.timestamp(), r.value()));
        }
        if (stopped) {
          break;
        }
        List<TopicPartition> finished = new ArrayList<>();
        for (TopicPartition tp : active) {
          if (consumer.position(tp) >= end.get(tp)) {
            next.put(tp, end.get(tp)); // also covers gaps: compacted records, transaction markers
            finished.add(tp);
          }
        }
        if (!finished.isEmpty()) {
          finished.forEach(active::remove);
          consumer.pause(finished);
        }
        if (records.isEmpty() || !finished.isEmpty()) {
          flush();
        }
        progress.update(done, lag());
      }
      flush();
    } finally {
      progress.finish(done, lag());
    }
    return active.isEmpty() ? Outcome.DONE : Outcome.STOPPED;
  }

  /** Ends the run after the batch in hand is stored and committed; any thread. */
  void stop() {
    stopped = true;
  }

  /** Records between the committed offsets and the end offsets seen at start: still to import. */
  long lag() {
    return total - done;
  }

  /** Records imported by this run (stored or rejected, and committed). */
  long done() {
    return done;
  }

  long total() {
    return total;
  }

  /** Records deleted by the topic's retention after the job's last run committed, before they were imported. */
  long skippedByRetention() {
    return skippedByRetention;
  }

  private void take(TopicPartition tp, SourceRecord record) throws InterruptedException {
    tally.read(1);
    LineReader.Result result = reader.read(record);
    if (result instanceof LineReader.Line line) {
      long bytes = Utf8.length(line.entry().line());
      if (!pending.isEmpty() && (pendingBytes + bytes > maxBatchBytes || pending.size() >= maxBatchLines)) {
        flush(); // before this record counts as taken, so the commit stops short of it
      }
      pending.add(line);
      pendingBytes += bytes;
    } else if (result instanceof LineReader.Failure f) {
      tally.rejected(f.reason().toString(), 1, f.message());
    }
    next.put(tp, record.offset() + 1);
  }

  /** Stores the pending lines, then commits every offset they and the skipped records cover. */
  private void flush() throws InterruptedException {
    writer.write(pending, tally);
    pending.clear();
    pendingBytes = 0;
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    next.forEach((tp, offset) -> {
      if (offset > mark.get(tp)) {
        offsets.put(tp, new OffsetAndMetadata(offset));
      }
    });
    if (offsets.isEmpty()) {
      return;
    }
    committer.commit(offsets);
    offsets.forEach((tp, o) -> {
      done += o.offset() - mark.get(tp);
      mark.put(tp, o.offset());
    });
    progress.update(done, lag());
  }
}
