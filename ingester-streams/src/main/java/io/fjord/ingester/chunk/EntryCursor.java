package io.fjord.ingester.chunk;

import io.fjord.logql.eval.LinePrefilter;
import io.fjord.logql.exec.EntryIterator;
import io.fjord.schemas.labels.Labels;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Walks the entries of one {@link StreamSnapshot} with {@code start <= ts < end}, forward (oldest
 * first) or backward (newest first), merging the blocks and the head by timestamp. Entries with
 * equal timestamps come in arrival order forward and in reverse arrival order backward, so a
 * backward walk is exactly the forward walk reversed.
 *
 * <p>Blocks are decompressed lazily, only when the walk reaches them: a block waits in the merge
 * keyed by the earliest timestamp it could hold, so a query that stops at its limit never
 * decompresses the blocks it did not reach. Under a prefilter, a decompressed block's lines are
 * searched for its literals in one pass over the block ({@link BlockSearch}) rather than line by
 * line, and the lines between hits are passed over at once. Single-threaded (one cursor per query
 * and stream).
 */
public final class EntryCursor implements EntryIterator {
  private final long start;
  private final long end;
  private final boolean forward;
  private final LinePrefilter prefilter;
  private final PriorityQueue<Source> queue;
  /** The source of the last entry returned, kept out of the queue until it no longer comes first. */
  private Source current;
  private int blocksDecoded;
  private long skippedEntries;
  private long skippedBytes;
  private long ts;
  private String line;
  private Labels metadata;
  private long lineBytes;

  public EntryCursor(StreamSnapshot snapshot, long start, long end, boolean forward) {
    this(snapshot, start, end, forward, LinePrefilter.NONE);
  }

  /**
   * A cursor that passes over the entries whose line cannot hold any of {@code prefilter}'s
   * literals (tested on the block's UTF-8 bytes, so such lines are never decoded into strings);
   * {@link #skippedEntries()} and {@link #skippedBytes()} count them.
   */
  public EntryCursor(StreamSnapshot snapshot, long start, long end, boolean forward, LinePrefilter prefilter) {
    this.start = start;
    this.end = end;
    this.forward = forward;
    this.prefilter = prefilter;
    this.queue = new PriorityQueue<>(this::compare);
    List<Block> blocks = snapshot.blocks();
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      if (b.overlaps(start, end)) {
        queue.add(new Source(i, b, forward ? Math.max(b.minTs(), start) : Math.min(b.maxTs(), end - 1)));
      }
    }
    Source head = new Source(blocks.size(), null, 0);
    head.position(snapshot.head());
    if (head.hasNext()) {
      queue.add(head);
    }
  }

  /**
   * The walk's order: by key (ascending forward, descending backward); on equal keys a block not
   * yet decoded first (it may hold an entry that sorts before the rest), then by arrival order
   * (ascending forward, descending backward). No two sources compare equal (orders differ).
   */
  private int compare(Source a, Source b) {
    if (a.key != b.key) {
      return forward == (a.key < b.key) ? -1 : 1;
    }
    boolean aDecoded = a.run != null;
    if (aDecoded != (b.run != null)) {
      return aDecoded ? 1 : -1;
    }
    return forward == (a.order < b.order) ? -1 : 1;
  }

  /** Moves to the next entry; false when there is none. */
  @Override
  public boolean next() {
    while (true) {
      Source s = current;
      if (s != null) {
        // the source of the last entry goes on while it still sorts before every other source:
        // most streams arrive in order, so most entries need no trip through the queue
        current = null;
        if (s.hasNext()) {
          s.key = s.run.ts(s.pos);
          Source top = queue.peek();
          if (top != null && compare(top, s) < 0) {
            queue.add(s);
            s = queue.poll();
          }
        } else {
          s = queue.poll();
        }
      } else {
        s = queue.poll();
      }
      if (s == null) {
        return false;
      }
      if (s.run == null) {
        blocksDecoded++;
        s.position(s.block.decode());
        if (s.hasNext()) {
          queue.add(s);
        }
        continue;
      }
      int i = s.pos;
      int step = forward ? 1 : -1;
      s.pos += step;
      current = s;
      EntryRun run = s.run;
      if (s.keep != null) {
        if (!s.keep[i]) {
          // this line and the following ones up to the next hit of the block search: never returned,
          // so passed over at once whatever the other sources hold
          skippedEntries++;
          skippedBytes += run.lineBytes(i);
          while (s.pos != s.stop && !s.keep[s.pos]) {
            skippedEntries++;
            skippedBytes += run.lineBytes(s.pos);
            s.pos += step;
          }
          continue;
        }
      } else if (!prefilter.isNone() && !run.mayKeep(i, prefilter)) {
        skippedEntries++;
        skippedBytes += run.lineBytes(i);
        continue;
      }
      ts = run.ts(i);
      line = run.line(i);
      metadata = run.metadata(i);
      lineBytes = run.lineBytes(i);
      return true;
    }
  }

  /** The UTF-8 length in bytes of the current entry's line. */
  @Override
  public long lineBytes() {
    return lineBytes;
  }

  /** How many entries in range the prefilter passed over (never returned by {@link #next}). */
  @Override
  public long skippedEntries() {
    return skippedEntries;
  }

  /** The UTF-8 bytes of the lines the prefilter passed over. */
  @Override
  public long skippedBytes() {
    return skippedBytes;
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

  /** How many blocks this cursor has decompressed so far. */
  public int blocksDecoded() {
    return blocksDecoded;
  }

  /** A block (until decoded) or a decoded run, with the position of its next entry in the walk. */
  private final class Source {
    final int order;
    final Block block;
    EntryRun run;
    /** For a decoded block under a prefilter: which lines the block search found a literal in. */
    boolean[] keep;
    int pos;
    int stop;
    long key;

    Source(int order, Block block, long key) {
      this.order = order;
      this.block = block;
      this.key = key;
    }

    void position(EntryRun r) {
      run = r;
      int lo = r.lowerBound(start);
      int hi = r.lowerBound(end);
      if (forward) {
        pos = lo;
        stop = hi;
      } else {
        pos = hi - 1;
        stop = lo - 1;
      }
      if (!prefilter.isNone() && r instanceof DecodedBlock block && lo < hi) {
        keep = BlockSearch.linesHolding(block, lo, hi, prefilter.requiredLiterals());
      }
      if (hasNext()) {
        key = r.ts(pos);
      }
    }

    boolean hasNext() {
      return pos != stop;
    }
  }
}
