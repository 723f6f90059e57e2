package io.fjord.app.backfill;

import io.fjord.app.tool.ToolUsageException;
import java.util.Locale;

/** How the records of the source topic are read: the value as the line, plus fields for labels and time. */
enum LineFormat {
  /** The value is the line; the time is the Kafka record's timestamp. */
  RAW,
  /** The value is a JSON object; labels and the time may come from its top-level fields. */
  JSON,
  /** The value is a logfmt line ({@code key=value key="quoted value"}); likewise. */
  LOGFMT;

  static LineFormat parse(String value) throws ToolUsageException {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ToolUsageException("--format: \"" + value + "\" is not one of raw, json, logfmt");
    }
  }

  /** Whether lines of this format have named fields. */
  boolean hasFields() {
    return this != RAW;
  }
}
