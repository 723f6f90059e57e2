package io.fjord.ingester.stream;

import io.fjord.ingester.chunk.AppendResult;

/**
 * What {@link PartitionIngest} did with one logs-topic record: it appended its entries (dropping
 * duplicates), or it refused the record, with the reason and a message for the dead-letter header.
 * Immutable.
 *
 * @param refusal why the record was refused, {@code null} when it was ingested
 */
record IngestOutcome(int appended, int duplicates, DeadLetterReason refusal, String message) {
  /** A record without entries: accepted, nothing to store. */
  static final IngestOutcome EMPTY = new IngestOutcome(0, 0, null, null);

  static IngestOutcome of(AppendResult r) {
    return new IngestOutcome(r.appended(), r.duplicates(), null, null);
  }

  static IngestOutcome refused(DeadLetterReason reason, String message) {
    return new IngestOutcome(0, 0, reason, message);
  }

  boolean isRefused() {
    return refusal != null;
  }
}
