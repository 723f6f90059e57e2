package io.fjord.schemas.record;

import io.fjord.schemas.labels.Labels;

/**
 * One log line: its timestamp in Unix nanoseconds, the line, and its structured metadata
 * ({@link Labels#EMPTY} when none). Immutable.
 */
public record LogEntry(long timestampNanos, String line, Labels metadata) {
  public LogEntry {
    if (line == null || metadata == null) {
      throw new NullPointerException("line and metadata are required");
    }
  }

  public LogEntry(long timestampNanos, String line) {
    this(timestampNanos, line, Labels.EMPTY);
  }
}
