package io.fjord.distributor.push;

import io.fjord.schemas.text.Utf8;
import java.util.List;

/**
 * One log entry as pushed, before validation: its timestamp in Unix nanoseconds, the line, its
 * structured metadata pairs in pushed order (an empty list when none), and the line's length in
 * UTF-8 bytes as {@link Utf8#length} counts it. The decoders know that length from the bytes they
 * read, so validation does not count it again; the shorter constructors count it. Immutable.
 */
public record PushedEntry(long timestampNanos, String line, List<LabelPair> metadata, long lineBytes) {
  public PushedEntry {
    if (line == null || metadata == null) {
      throw new NullPointerException("line and metadata are required");
    }
  }

  public PushedEntry(long timestampNanos, String line, List<LabelPair> metadata) {
    this(timestampNanos, line, metadata, Utf8.length(line));
  }

  public PushedEntry(long timestampNanos, String line) {
    this(timestampNanos, line, List.of());
  }
}
