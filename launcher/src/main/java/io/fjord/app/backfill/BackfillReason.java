package io.fjord.app.backfill;

/**
 * Why the backfill itself could not make a log entry of a record, before the push API's validation
 * (whose reasons, {@link io.fjord.distributor.validation.RejectionReason}, count the rest). Named in
 * the summary as the push API's reasons are, in Loki's snake case.
 */
enum BackfillReason {
  /** A record without a value (a tombstone). */
  NO_VALUE("no_value"),
  /** {@code --format json} and the value is not a JSON object. */
  INVALID_JSON("invalid_json"),
  /** The {@code --timestamp-from} field is absent from the line. */
  MISSING_TIMESTAMP("missing_timestamp"),
  /** The {@code --timestamp-from} field is not an RFC3339 time nor a Unix time in s, ms, µs or ns. */
  INVALID_TIMESTAMP("invalid_timestamp");

  private final String summaryName;

  BackfillReason(String summaryName) {
    this.summaryName = summaryName;
  }

  @Override
  public String toString() {
    return summaryName;
  }
}
