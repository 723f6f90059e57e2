package io.fjord.ingester.stream;

/**
 * Why a logs-topic record went to the dead-letter topic (header {@code fjord.error.code} carries
 * the constant's name; {@link #reason()} is the lower-case name stats use, Loki's where Loki has one).
 */
public enum DeadLetterReason {
  /** The value is not a readable record (bad magic, version, checksum, truncation...). */
  UNREADABLE_RECORD("unreadable_record"),
  /** The record has no value (a tombstone). */
  NO_VALUE("no_value"),
  /** The record reads, but its tenant or labels are not valid. */
  INVALID_STREAM("invalid_stream"),
  /**
   * The record would start a new stream for a tenant that already has its share of
   * {@code max_global_streams_per_user} in this partition (Loki's reason {@code stream_limit}).
   */
  STREAM_LIMIT("stream_limit"),
  /**
   * The tenant id cannot name an object key (e.g. it starts with ".fjord", which the stores keep for
   * themselves): the stream's chunks could never be flushed.
   */
  UNSTORABLE_TENANT("unstorable_tenant"),
  /** Kafka Streams could not deserialize the record's bytes. */
  UNDESERIALIZABLE("undeserializable"),
  /** Processing failed unexpectedly; the record is kept in the dead-letter topic for a replay. */
  PROCESSING_ERROR("processing_error");

  private final String reason;

  DeadLetterReason(String reason) {
    this.reason = reason;
  }

  /** The stats name, e.g. {@code stream_limit}. */
  public String reason() {
    return reason;
  }
}
