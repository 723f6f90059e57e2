package io.fjord.app.replay;

import io.fjord.app.tool.ToolUsageException;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.RecordFormatException;
import io.fjord.schemas.record.StreamBatch;
import io.fjord.store.ChunkKey;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The run of {@code fjord replay}: reads each partition of the logs topic in turn over its offset range,
 * decodes the records (refusing, and counting by reason, what {@link LogRecordCodec} cannot read),
 * keeps the entries of the selected tenant, and has a {@link ChunkCutter} per partition cut them into
 * chunks that a {@link ChunkStorer} writes where missing. A partition is cut on its own, so its chunks
 * depend only on its records in the range: a second run writes the same chunks. Progress lines go to
 * {@code progress} every {@code interval}. One run per instance, on one thread; {@link #stop()} may be
 * called from any thread and ends the run after the batch in hand (chunks not cut yet are not written).
 */
final class ReplayJob {
  /** How a run ended. */
  enum Outcome { DONE, STOPPED }

  /** Offsets {@code [from, to)} of one partition to replay. */
  record PartitionRange(int partition, long from, long to) {
    long size() {
      return Math.max(0, to - from);
    }
  }

  private static final Duration POLL = Duration.ofMillis(500);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final String tenant;
  private final Function<java.util.function.Consumer<ChunkCutter.Cut>, ChunkCutter> cutters;
  private final ChunkStorer storer;
  private final ReplayTally tally;
  private final PrintStream progress;
  private final Clock clock;
  private final long intervalMillis;
  private final long stallMillis;
  private volatile boolean stopped;

  /**
   * @param tenant null: every tenant
   * @param cutters makes the cutter of one partition around the sink it is given
   * @param stall how long a partition may read nothing before the run fails (a broker down or a record
   *     gone: Kafka's consumer waits for ever)
   */
  ReplayJob(Consumer<byte[], byte[]> consumer, String topic, String tenant, Function<java.util.function.Consumer<ChunkCutter.Cut>, ChunkCutter> cutters,
      ChunkStorer storer, ReplayTally tally, PrintStream progress, Clock clock, Duration interval, Duration stall) {
    this.consumer = consumer;
    this.topic = topic;
    this.tenant = tenant;
    this.cutters = cutters;
    this.storer = storer;
    this.tally = tally;
    this.progress = progress;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    this.stallMillis = stall.toMillis();
  }

  /**
   * The offset range of every partition to replay: {@code from} and {@code to} resolved against the
   * topic's partitions, clamped to the records it still holds (older ones were deleted by retention).
   *
   * @throws MissingLogsTopicException when the topic does not exist
   * @throws ToolUsageException when a named partition is not one of the topic's
   */
  static List<PartitionRange> ranges(Consumer<byte[], byte[]> consumer, String topic, Position from, Position to)
      throws MissingLogsTopicException, ToolUsageException {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new MissingLogsTopicException("the logs topic " + topic + " does not exist (name it with --logs-topic)");
    }
    List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    for (Position p : new Position[] {from, to}) {
      if (p instanceof Position.PartitionOffsets po) {
        for (int partition : po.offsets().keySet()) {
          if (partition >= tps.size()) {
            throw new ToolUsageException("partition " + partition + " is not a partition of " + topic + " (it has "
                + tps.size() + ")");
          }
        }
      }
    }
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
    Map<TopicPartition, Long> end = consumer.endOffsets(tps);
    Map<TopicPartition, Long> fromTimes = at(consumer, tps, from, end);
    Map<TopicPartition, Long> toTimes = to == null ? end : at(consumer, tps, to, end);
    List<PartitionRange> out = new ArrayList<>();
    for (TopicPartition tp : tps) {
      long first;
      if (from instanceof Position.Time) {
        first = fromTimes.get(tp);
      } else if (from instanceof Position.Offset o) {
        first = o.offset();
      } else {
        OptionalLong o = ((Position.PartitionOffsets) from).of(tp.partition());
        if (o.isEmpty()) {
          continue;
        }
        first = o.getAsLong();
      }
      long last;
      if (to == null || to instanceof Position.Time) {
        last = toTimes.get(tp);
      } else if (to instanceof Position.Offset o) {
        last = o.offset();
      } else {
        last = ((Position.PartitionOffsets) to).of(tp.partition()).orElse(end.get(tp));
      }
      first = Math.min(Math.max(first, begin.get(tp)), end.get(tp));
      last = Math.min(last, end.get(tp));
      out.add(new PartitionRange(tp.partition(), first, Math.max(first, last)));
    }
    return out;
  }

  private static Map<TopicPartition, Long> at(Consumer<byte[], byte[]> consumer, List<TopicPartition> tps, Position p,
      Map<TopicPartition, Long> end) {
    if (!(p instanceof Position.Time t)) {
      return end;
    }
    Map<TopicPartition, Long> query = new HashMap<>();
    tps.forEach(tp -> query.put(tp, t.time().toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : tps) {
      OffsetAndTimestamp o = found.get(tp);
      out.put(tp, o != null ? o.offset() : end.get(tp)); // none at or after the time: the partition's end
    }
    return out;
  }

  Outcome run(List<PartitionRange> ranges) {
    long total = ranges.stream().mapToLong(PartitionRange::size).sum();
    long done = 0;
    long lastShown = clock.millis();
    for (PartitionRange r : ranges) {
      if (r.size() == 0) {
        continue;
      }
      TopicPartition tp = new TopicPartition(topic, r.partition());
      ChunkCutter cutter = cutters.apply(cut -> tally.stored(storer.store(cut)));
      consumer.assign(List.of(tp));
      consumer.seek(tp, r.from());
      long position = r.from();
      long movedAt = clock.millis();
      while (position < r.to()) {
        if (stopped) {
          storer.flush();
          tally.duplicates += cutter.duplicates();
          return Outcome.STOPPED;
        }
        for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(POLL).records(tp)) {
          if (rec.offset() >= r.to()) {
            break;
          }
          read(rec, cutter);
        }
        long next = consumer.position(tp);
        if (next > position) {
          movedAt = clock.millis();
        } else if (clock.millis() - movedAt > stallMillis) {
          throw new org.apache.kafka.common.errors.TimeoutException("partition " + r.partition() + " of " + topic
              + " gave no record past offset " + position + " for " + Duration.ofMillis(stallMillis).toSeconds()
              + "s (is the broker up?)");
        }
        done += Math.min(next, r.to()) - position;
        position = next;
        long now = clock.millis();
        if (now - lastShown >= intervalMillis) {
          progress.printf(Locale.ROOT, "replay %s: partition %d at offset %d of %d, %d/%d records (%d%%), %d chunks "
              + "written%n", topic, r.partition(), position, r.to(), done, total, total == 0 ? 100 : done * 100 / total,
              tally.chunksWritten);
          progress.flush();
          lastShown = now;
        }
      }
      cutter.finish();
      storer.flush();
      storer.forget();
      tally.duplicates += cutter.duplicates();
    }
    return Outcome.DONE;
  }

  private void read(ConsumerRecord<byte[], byte[]> rec, ChunkCutter cutter) {
    tally.records++;
    StreamBatch batch;
    try {
      batch = LogRecordCodec.decodeValue(rec.value());
    } catch (RecordFormatException e) {
      tally.refuse(reason(e.getMessage()), where(rec) + ": " + e.getMessage());
      return;
    }
    if (tenant != null && !tenant.equals(batch.tenant())) {
      tally.otherTenants++;
      return;
    }
    try {
      ChunkKey.tenantPrefix(batch.tenant());
    } catch (IllegalArgumentException e) {
      tally.refuse("invalid tenant", where(rec) + ": " + e.getMessage());
      return;
    }
    if (batch.labels().isEmpty()) {
      tally.refuse("no stream labels", where(rec) + ": the record's stream has no labels");
      return;
    }
    for (LogEntry e : batch.entries()) {
      tally.entries++;
      cutter.add(batch.tenant(), batch.labels(), e);
    }
  }

  private static String where(ConsumerRecord<?, ?> rec) {
    return "partition " + rec.partition() + " offset " + rec.offset();
  }

  /** A short, stable name for why {@link LogRecordCodec} refused a record, from its message. */
  static String reason(String message) {
    String m = message == null ? "" : message;
    if (m.contains("no value")) {
      return "no value";
    }
    if (m.contains("bad magic") || m.contains("too short")) {
      return "not a Fjord log record";
    }
    if (m.contains("unsupported log record version")) {
      return "unsupported version";
    }
    if (m.contains("checksum")) {
      return "checksum mismatch";
    }
    if (m.contains("labels")) {
      return "invalid labels";
    }
    return "malformed record";
  }

  void stop() {
    stopped = true;
  }
}
