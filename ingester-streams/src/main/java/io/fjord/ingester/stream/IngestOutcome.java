package io.fjord.ingester.stream;

import io.fjord.ingester.chunk.AppendResult;

/**
 * What {@link PartitionIngest} did with one logs-topic record: it appended its entries (dropping
 * duplicates), or it refused the record, with the reason and a message for the dead-letter header.
 * Immutable.
 *
 * @param tenant the record's tenant, when it was ingested
 * @param tooFarBehind entries refused as older than the stream's window, and their line bytes
 * @param refusal why the record was refused, {@code null} when it was ingested
 * @param flushed the record was skipped because the partition's checkpoint says it is flushed
 */
record IngestOutcome(String tenant, int appended, int duplicates, int tooFarBehind, long tooFarBehindBytes,
    DeadLetterReason refusal, String message, boolean flushed) {
  /** A record without entries: accepted, nothing to store. */
  static final IngestOutcome EMPTY = new IngestOutcome(null, 0, 0, 0, 0, null, null, false);
  /** A record already flushed to the store: skipped. */
  static final IngestOutcome FLUSHED = new IngestOutcome(null, 0, 0, 0, 0, null, null, true);

  static IngestOutcome of(String tenant, AppendResult r) {
    return new IngestOutcome(tenant, r.appended(), r.duplicates(), r.tooFarBehind(), r.tooFarBehindBytes(), null,
        null, false);
  }

  static IngestOutcome refused(DeadLetterReason reason, String message) {
    return new IngestOutcome(null, 0, 0, 0, 0, reason, message, false);
  }

  boolean isRefused() {
    return refusal != null;
  }
}
