package io.fjord.querier.tail;

import io.fjord.querier.engine.ResultStream;
import io.fjord.querier.source.Entry;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which entries of a tail's successive polls are new. A tail polls the log-query path for
 * the range {@link #from()}..now again and again; the cursor remembers every entry (stream, time,
 * line) it let through at or after {@code from}, so an entry seen twice is sent once, and an entry
 * that reaches the ingesters late (after newer ones of the same or another stream were sent) is
 * still sent as long as its time is within {@code window} of the newest entry sent. {@code from}
 * follows the newest entry sent minus {@code window}, and jumps to the newest entry of a poll that
 * hit its limit so that a burst larger than one poll's limit cannot stall the tail. Entries older
 * than {@code from} when they become visible are not sent (a limit of polling that Loki's push-based
 * tail does not have). Memory: the entries sent within the window. Not thread-safe: one per tail,
 * used by one poll at a time.
 */
final class TailCursor {
  private final long windowNanos;
  private long from;
  private long newest = Long.MIN_VALUE;
  private final NavigableMap<Long, Set<StreamLine>> sent = new TreeMap<>();

  private record StreamLine(Labels labels, String line) {}

  /**
   * @param startNanos the tail's {@code start}: nothing older is sent
   * @param windowNanos how far behind the newest entry sent a late entry is still sent
   */
  TailCursor(long startNanos, long windowNanos) {
    this.from = startNanos;
    this.windowNanos = windowNanos;
  }

  /** Where the next poll starts (inclusive). */
  long from() {
    return from;
  }

  /**
   * The history a tail starts with: the newest entries since {@code start}, at most the tail's
   * limit ({@code full}: the limit was reached, so nothing older than the oldest of them is sent
   * later either). Returns them oldest first per stream.
   */
  List<ResultStream> acceptHistory(List<ResultStream> newestFirst, boolean full) {
    if (full) {
      long oldest = Long.MAX_VALUE;
      for (ResultStream s : newestFirst) {
        for (Entry e : s.entries()) {
          oldest = Math.min(oldest, e.tsNanos());
        }
      }
      if (oldest != Long.MAX_VALUE) {
        from = Math.max(from, oldest);
      }
    }
    return accept(newestFirst, false);
  }

  /**
   * One poll's streams (entries in any order; {@code full}: the poll hit its limit). Returns the
   * entries not sent before, oldest first per stream, streams in the order given; remembers them.
   */
  List<ResultStream> accept(List<ResultStream> streams, boolean full) {
    long newestOfPoll = Long.MIN_VALUE;
    Map<Labels, List<Entry>> fresh = new LinkedHashMap<>();
    for (ResultStream s : streams) {
      for (Entry e : s.entries()) {
        if (e.tsNanos() < from) {
          continue;
        }
        newestOfPoll = Math.max(newestOfPoll, e.tsNanos());
        if (sent.computeIfAbsent(e.tsNanos(), t -> new HashSet<>()).add(new StreamLine(s.labels(), e.line()))) {
          fresh.computeIfAbsent(s.labels(), l -> new ArrayList<>()).add(e);
        }
      }
    }
    newest = Math.max(newest, newestOfPoll);
    if (full && newestOfPoll != Long.MIN_VALUE) {
      from = Math.max(from, newestOfPoll);
    } else if (newest != Long.MIN_VALUE) {
      from = Math.max(from, newest - windowNanos);
    }
    sent.headMap(from, false).clear();
    List<ResultStream> out = new ArrayList<>(fresh.size());
    fresh.forEach((labels, entries) -> {
      entries.sort(Comparator.comparingLong(Entry::tsNanos));
      out.add(new ResultStream(labels, entries));
    });
    return out;
  }
}
