package io.fjord.distributor.push;

import java.util.List;

/**
 * One log entry as pushed, before validation: its timestamp in Unix nanoseconds, the line and its
 * structured metadata pairs in pushed order (an empty list when none). Immutable.
 */
public record PushedEntry(long timestampNanos, String line, List<LabelPair> metadata) {
  public PushedEntry {
    if (line == null || metadata == null) {
      throw new NullPointerException("line and metadata are required");
    }
  }

  public PushedEntry(long timestampNanos, String line) {
    this(timestampNanos, line, List.of());
  }
}
