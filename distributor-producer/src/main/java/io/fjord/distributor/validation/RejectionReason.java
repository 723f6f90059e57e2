package io.fjord.distributor.validation;

/**
 * Why a stream or an entry of a push was rejected, named as Loki names the {@code reason} label of
 * {@code loki_discarded_samples_total}, so operators' dashboards and alerts carry over.
 */
public enum RejectionReason {
  /** A line longer than {@code max_line_size}, or an entry too large for one Kafka record. */
  LINE_TOO_LONG("line_too_long"),
  /** Older than {@code reject_old_samples_max_age}. */
  GREATER_THAN_MAX_SAMPLE_AGE("greater_than_max_sample_age"),
  /** Newer than now + {@code creation_grace_period}. */
  TOO_FAR_IN_FUTURE("too_far_in_future"),
  /** Label text that cannot be read, a malformed label or metadata name, a value that is not UTF-8. */
  INVALID_LABELS("invalid_labels"),
  /** A stream without any label. */
  MISSING_LABELS("missing_labels"),
  /** More label names than {@code max_label_names_per_series}. */
  MAX_LABEL_NAMES_PER_SERIES("max_label_names_per_series"),
  /** A label name longer than {@code max_label_name_length}. */
  LABEL_NAME_TOO_LONG("label_name_too_long"),
  /** A label value longer than {@code max_label_value_length}. */
  LABEL_VALUE_TOO_LONG("label_value_too_long"),
  /** The same label (or structured metadata) name twice. */
  DUPLICATE_LABEL_NAMES("duplicate_label_names"),
  /** Structured metadata of an entry larger than {@code max_structured_metadata_size}. */
  STRUCTURED_METADATA_TOO_LARGE("structured_metadata_too_large"),
  /** More structured metadata pairs than {@code max_structured_metadata_entries_count}. */
  STRUCTURED_METADATA_TOO_MANY("structured_metadata_too_many"),
  /** The tenant is over {@code ingestion_rate_mb} / {@code ingestion_burst_size_mb}. */
  RATE_LIMITED("rate_limited");

  private final String lokiName;

  RejectionReason(String lokiName) {
    this.lokiName = lokiName;
  }

  /** Loki's name for the reason, e.g. {@code line_too_long}. */
  public String lokiName() {
    return lokiName;
  }

  @Override
  public String toString() {
    return lokiName;
  }
}
