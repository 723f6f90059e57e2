package io.fjord.querier.source;

import java.util.Objects;

/** One log entry of a stream: its timestamp in Unix nanoseconds and its line. Immutable. */
public record Entry(long tsNanos, String line) {
  public Entry {
    Objects.requireNonNull(line, "line");
  }
}
