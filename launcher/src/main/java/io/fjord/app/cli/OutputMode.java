package io.fjord.app.cli;

import java.util.Locale;

/** How results are printed, as logcli's {@code --output}. */
enum OutputMode {
  /** {@code <RFC3339 timestamp> {labels} <line>}. */
  DEFAULT,
  /** The log line only (metric results print as in {@link #DEFAULT}). */
  RAW,
  /** One JSON object per entry or sample. */
  JSONL;

  static OutputMode parse(String name) throws UsageException {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("unknown output mode \"" + name + "\" (default, raw or jsonl)");
    }
  }
}
