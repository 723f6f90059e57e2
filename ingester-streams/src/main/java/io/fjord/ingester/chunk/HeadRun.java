package io.fjord.ingester.chunk;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;

/** A copy of (part of) a head: entries sorted by timestamp. Immutable; owns its array. */
final class HeadRun implements EntryRun {
  static final HeadRun EMPTY = new HeadRun(new LogEntry[0]);
  private final LogEntry[] entries;

  HeadRun(LogEntry[] entries) {
    this.entries = entries;
  }

  @Override
  public int size() {
    return entries.length;
  }

  @Override
  public long ts(int i) {
    return entries[i].timestampNanos();
  }

  @Override
  public String line(int i) {
    return entries[i].line();
  }

  @Override
  public Labels metadata(int i) {
    return entries[i].metadata();
  }
}
