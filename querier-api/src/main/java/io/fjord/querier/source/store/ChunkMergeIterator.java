package io.fjord.querier.source.store;

import io.fjord.logql.exec.EntryIterator;
import io.fjord.schemas.chunk.LineFilter;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.index.ChunkRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * The entries of one stream's flushed chunks as one {@link EntryIterator} in the asked direction: a
 * k-way merge of the chunks by timestamp that keeps one entry of each (timestamp, line) — chunks of a
 * stream may overlap and repeat entries after a re-flush. Chunks are opened lazily, in time order,
 * only once the merge reaches their span (forward: their start; backward: their end), so a query
 * that stops early at its limit never fetches the chunks beyond it, and only chunks that overlap
 * one another are open at the same time. Entries with equal timestamps come out consecutively, so
 * remembering the lines of the current timestamp is enough to drop repeats. Single-threaded.
 */
final class ChunkMergeIterator implements EntryIterator {
  private final Function<ChunkRef, Iterator<LogEntry>> openChunk;
  private final boolean forward;
  private final LineFilter.Skipped skipped = new LineFilter.Skipped();
  private final Deque<Pending> pending;
  private final PriorityQueue<Cursor> heads;
  /** The lines seen at timestamp {@link #ts}, filled only once a second entry has that timestamp. */
  private final Set<String> linesAtTs = new HashSet<>();
  private String firstAtTs;
  private boolean any;
  private long ts;
  private String line;
  private Labels metadata;

  private record Pending(ChunkRef ref, int seq) {}

  /** @param chunks the stream's chunks, ordered by start time */
  ChunkMergeIterator(ChunkOpener opener, List<ChunkRef> chunks, boolean forward, long start, long end) {
    this(opener, chunks, forward, start, end, LineFilter.ALL);
  }

  /**
   * @param chunks the stream's chunks, ordered by start time
   * @param filter entries whose raw line it refuses are passed over undecoded (and counted in
   *     {@link #skippedEntries()}); a log query's prefilter
   */
  ChunkMergeIterator(ChunkOpener opener, List<ChunkRef> chunks, boolean forward, long start, long end,
      LineFilter filter) {
    this.forward = forward;
    this.openChunk = ref -> opener.entries(ref, forward, start, end, filter, skipped);
    this.pending = pending(chunks, forward);
    this.heads = byHead(forward);
  }

  /**
   * @param chunks the stream's chunks, ordered by start time
   * @param open a chunk's entries in the range, in the direction (called once per chunk, when the
   *     merge reaches it); what it passes over is not counted here
   */
  ChunkMergeIterator(List<ChunkRef> chunks, boolean forward, Function<ChunkRef, Iterator<LogEntry>> open) {
    this.forward = forward;
    this.openChunk = open;
    this.pending = pending(chunks, forward);
    this.heads = byHead(forward);
  }

  private static Deque<Pending> pending(List<ChunkRef> chunks, boolean forward) {
    List<Pending> ordered = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      ordered.add(new Pending(chunks.get(i), i));
    }
    if (!forward) {
      // backward, a chunk is due once the merge reaches its newest entry: order by end, newest first
      ordered.sort(Comparator.comparingLong((Pending p) -> p.ref().throughNanos()).reversed()
          .thenComparing(Comparator.comparingInt(Pending::seq).reversed()));
    }
    return new ArrayDeque<>(ordered);
  }

  private static PriorityQueue<Cursor> byHead(boolean forward) {
    // by timestamp in the walk's direction, then by chunk order (compared by hand: once per entry)
    return new PriorityQueue<>((a, b) -> {
      long ta = a.current.timestampNanos();
      long tb = b.current.timestampNanos();
      if (ta != tb) {
        return forward == (ta < tb) ? -1 : 1;
      }
      return Integer.compare(a.seq, b.seq);
    });
  }

  @Override
  public boolean next() {
    while (true) {
      openDueChunks();
      Cursor c = heads.poll();
      if (c == null) {
        return false;
      }
      LogEntry e = c.current;
      if (c.advance()) {
        heads.add(c);
      }
      if (!any || e.timestampNanos() != ts) {
        // a new timestamp: its first line needs no set (most timestamps hold one line, and
        // hashing every line would cost a pass over it)
        any = true;
        ts = e.timestampNanos();
        firstAtTs = e.line();
        if (!linesAtTs.isEmpty()) {
          linesAtTs.clear();
        }
        line = e.line();
        metadata = e.metadata();
        return true;
      }
      if (linesAtTs.isEmpty()) {
        linesAtTs.add(firstAtTs);
      }
      if (linesAtTs.add(e.line())) {
        line = e.line();
        metadata = e.metadata();
        return true;
      }
    }
  }

  /** Opens every pending chunk that may hold an entry at or before (in the direction) the merge's head. */
  private void openDueChunks() {
    while (!pending.isEmpty() && (heads.isEmpty() || due(pending.peekFirst().ref(), heads.peek().current))) {
      Pending p = pending.pollFirst();
      Cursor c = new Cursor(openChunk.apply(p.ref()), p.seq());
      if (c.advance()) {
        heads.add(c);
      }
    }
  }

  private boolean due(ChunkRef ref, LogEntry head) {
    return forward ? ref.fromNanos() <= head.timestampNanos() : ref.throughNanos() >= head.timestampNanos();
  }

  @Override
  public long ts() {
    return ts;
  }

  @Override
  public String line() {
    return line;
  }

  @Override
  public Labels metadata() {
    return metadata;
  }

  @Override
  public long skippedEntries() {
    return skipped.entries();
  }

  @Override
  public long skippedBytes() {
    return skipped.bytes();
  }

  /** One open chunk, positioned on its next entry. */
  private static final class Cursor {
    final Iterator<LogEntry> entries;
    final int seq;
    LogEntry current;

    Cursor(Iterator<LogEntry> entries, int seq) {
      this.entries = entries;
      this.seq = seq;
    }

    boolean advance() {
      if (entries.hasNext()) {
        current = entries.next();
        return true;
      }
      return false;
    }
  }
}
