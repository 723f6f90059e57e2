package io.fjord.logql.exec;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.text.Utf8;

/**
 * The entries of one stream, walked once in time order (forward or backward, as its creator chose):
 * what a log query or a sample extraction reads, whether the entries come from an ingester's memory
 * chunks or from chunk objects in the store. {@link #ts}, {@link #line} and {@link #metadata} describe
 * the entry {@link #next} moved to. Single-threaded.
 */
public interface EntryIterator {

  /** Moves to the next entry; false when there is none. */
  boolean next();

  /** The current entry's timestamp in Unix nanoseconds. */
  long ts();

  /** The current entry's line. */
  String line();

  /** The current entry's structured metadata (empty labels when it has none). */
  Labels metadata();

  /** The size in UTF-8 bytes of the current entry's line (for the query statistics). */
  default long lineBytes() {
    return Utf8.length(line());
  }

  /**
   * How many entries of the range this iterator passed over without returning them (e.g. lines a
   * prefilter showed cannot match), so far; they count as read in the query statistics.
   */
  default long skippedEntries() {
    return 0;
  }

  /** The UTF-8 bytes of the lines counted by {@link #skippedEntries}. */
  default long skippedBytes() {
    return 0;
  }
}
