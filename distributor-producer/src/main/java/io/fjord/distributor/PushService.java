package io.fjord.distributor;

import io.fjord.distributor.batch.RecordSplitter;
import io.fjord.distributor.limits.IngestionRateLimiter;
import io.fjord.distributor.push.PushException;
import io.fjord.distributor.push.PushedStream;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.Rejection;
import io.fjord.distributor.validation.RejectionReason;
import io.fjord.distributor.validation.ValidatedPush;
import io.fjord.schemas.record.StreamBatch;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributor's core step for one decoded push of one tenant: validate, charge the tenant's
 * rate limit, split streams into record-sized batches, write them all and return once they are
 * stored. Outcomes: normal return (everything written), or a {@link PushException}: RATE_LIMITED
 * (nothing written), INVALID (the valid rest written, the message lists what was rejected) or
 * UNAVAILABLE (the sink failed; the client must retry). Thread-safe.
 */
public final class PushService {
  private static final Logger log = LoggerFactory.getLogger(PushService.class);

  private final PushValidator validator;
  private final IngestionRateLimiter rateLimiter;
  private final StreamSink sink;
  private final long maxRecordBytes;
  private final PushObserver observer;

  public PushService(PushValidator validator, IngestionRateLimiter rateLimiter, StreamSink sink, long maxRecordBytes) {
    this(validator, rateLimiter, sink, maxRecordBytes, PushObserver.NONE);
  }

  public PushService(PushValidator validator, IngestionRateLimiter rateLimiter, StreamSink sink, long maxRecordBytes,
      PushObserver observer) {
    this.validator = validator;
    this.rateLimiter = rateLimiter;
    this.sink = sink;
    this.maxRecordBytes = maxRecordBytes;
    this.observer = observer;
  }

  public void push(String tenant, List<PushedStream> streams) {
    ValidatedPush push = validator.validate(tenant, streams);
    for (Rejection r : push.rejections()) {
      observer.discarded(tenant, r.reason(), r.entries(), 0);
    }
    if (!push.batches().isEmpty()) {
      observer.received(tenant, push.lines(), push.bytes());
      if (!rateLimiter.tryAcquire(tenant, push.bytes())) {
        observer.discarded(tenant, RejectionReason.RATE_LIMITED, push.lines(), push.bytes());
        throw new PushException(PushException.Kind.RATE_LIMITED, "ingestion rate limit exceeded for user " + tenant
            + " (limit: " + rateLimiter.bytesPerSecond() + " bytes/sec) while attempting to ingest '" + push.lines()
            + "' lines totaling '" + push.bytes() + "' bytes, reduce log volume or contact your Loki administrator"
            + " to see if the limit can be increased");
      }
      List<StreamBatch> records = new ArrayList<>(push.batches().size());
      for (StreamBatch batch : push.batches()) {
        records.addAll(RecordSplitter.split(batch, maxRecordBytes));
      }
      sink.write(records);
    }
    if (push.hasRejections()) {
      String summary = push.rejectionSummary();
      log.debug("push of tenant {} partly rejected: {}", tenant, summary);
      throw new PushException(PushException.Kind.INVALID, summary);
    }
  }
}
