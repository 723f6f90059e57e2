package io.fjord.app.backfill;

import io.fjord.distributor.StreamSink;
import io.fjord.distributor.batch.RecordSplitter;
import io.fjord.distributor.limits.IngestionRateLimiter;
import io.fjord.distributor.push.LabelPair;
import io.fjord.distributor.push.PushedEntry;
import io.fjord.distributor.push.PushedStream;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.Rejection;
import io.fjord.distributor.validation.RejectionReason;
import io.fjord.distributor.validation.ValidatedPush;
import io.fjord.schemas.record.StreamBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch of read lines the way the push API writes a push, with the distributor's own
 * classes: {@link PushValidator} (labels, line size, timestamps, per the configured
 * {@code limits_config}), the tenant's {@link IngestionRateLimiter}, {@link RecordSplitter} and a
 * {@link StreamSink} that returns only once Kafka acknowledged every record. What the push API would
 * answer 429 to, a backfill waits for instead (it paces itself to {@code ingestion_rate_mb}); a
 * batch the limit can never admit (larger than the burst, or a rate of 0) is rejected as
 * {@code rate_limited}. Outcomes are counted in a {@link Tally}. Single-threaded.
 */
final class BatchWriter {
  /** Waits a little before the rate limiter is asked again. */
  interface Pause {
    void pause() throws InterruptedException;
  }

  static final Pause SLEEP = () -> Thread.sleep(20);

  private final String tenant;
  private final PushValidator validator;
  private final IngestionRateLimiter rateLimiter;
  private final long burstBytes;
  private final StreamSink sink;
  private final long maxRecordBytes;
  private final Pause pause;

  BatchWriter(String tenant, PushValidator validator, IngestionRateLimiter rateLimiter, long burstBytes,
      StreamSink sink, long maxRecordBytes, Pause pause) {
    this.tenant = tenant;
    this.validator = validator;
    this.rateLimiter = rateLimiter;
    this.burstBytes = burstBytes;
    this.sink = sink;
    this.maxRecordBytes = maxRecordBytes;
    this.pause = pause;
  }

  /**
   * Validates and stores {@code lines}; returns once the accepted ones are acknowledged by Kafka.
   * Throws {@link io.fjord.distributor.push.PushException} (UNAVAILABLE) when the sink fails, and
   * InterruptedException while waiting for the rate limit.
   */
  void write(List<LineReader.Line> lines, Tally tally) throws InterruptedException {
    if (lines.isEmpty()) {
      return;
    }
    ValidatedPush push = validator.validate(tenant, streams(lines));
    for (Rejection r : push.rejections()) {
      tally.rejected(r.reason().lokiName(), r.entries(), r.message());
    }
    if (push.batches().isEmpty()) {
      return;
    }
    if (!admit(push.bytes())) {
      tally.rejected(RejectionReason.RATE_LIMITED.lokiName(), push.lines(), "ingestion rate limit of tenant "
          + tenant + " (" + rateLimiter.bytesPerSecond() + " bytes/sec, burst " + burstBytes
          + " bytes) can never admit " + push.bytes() + " bytes at once");
      return;
    }
    List<StreamBatch> records = new ArrayList<>(push.batches().size());
    for (StreamBatch batch : push.batches()) {
      records.addAll(RecordSplitter.split(batch, maxRecordBytes));
    }
    sink.write(records);
    tally.accepted(push.lines());
  }

  /** Charges the rate limit, waiting while it is exhausted; false if it can never admit {@code bytes}. */
  private boolean admit(long bytes) throws InterruptedException {
    if (bytes > burstBytes || rateLimiter.bytesPerSecond() <= 0) {
      return bytes <= 0;
    }
    while (!rateLimiter.tryAcquire(tenant, bytes)) {
      pause.pause();
    }
    return true;
  }

  /** The lines grouped by stream, streams and entries in read order. */
  private static List<PushedStream> streams(List<LineReader.Line> lines) {
    Map<List<LabelPair>, List<PushedEntry>> byStream = new LinkedHashMap<>();
    for (LineReader.Line l : lines) {
      byStream.computeIfAbsent(l.labels(), k -> new ArrayList<>()).add(l.entry());
    }
    List<PushedStream> out = new ArrayList<>(byStream.size());
    byStream.forEach((labels, entries) -> out.add(PushedStream.of(labels, entries)));
    return out;
  }
}
