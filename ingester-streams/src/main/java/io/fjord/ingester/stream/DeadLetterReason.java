package io.fjord.ingester.stream;

/** Why a logs-topic record went to the dead-letter topic (header {@code fjord.error.code}). */
public enum DeadLetterReason {
  /** The value is not a readable record (bad magic, version, checksum, truncation...). */
  UNREADABLE_RECORD,
  /** The record has no value (a tombstone). */
  NO_VALUE,
  /** The record reads, but its tenant or labels are not valid. */
  INVALID_STREAM,
  /** Kafka Streams could not deserialize the record's bytes. */
  UNDESERIALIZABLE,
  /** Processing failed unexpectedly; the record is kept in the dead-letter topic for a replay. */
  PROCESSING_ERROR
}
