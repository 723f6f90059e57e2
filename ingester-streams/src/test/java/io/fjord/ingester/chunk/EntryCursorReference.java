package io.fjord.ingester.chunk;

import io.fjord.logql.exec.EntryIterator;
import io.fjord.schemas.labels.Labels;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The cursor as it was before it kept its current source out of the queue and read lines lazily:
 * the oracle of {@link EntryCursorEquivalenceTest}. Walks the entries of one {@link StreamSnapshot} with {@code start <= ts < end}, forward (oldest
 * first) or backward (newest first), merging the blocks and the head by timestamp. Entries with
 * equal timestamps come in arrival order forward and in reverse arrival order backward, so a
 * backward walk is exactly the forward walk reversed.
 *
 * <p>Blocks are decompressed lazily, only when the walk reaches them: a block waits in the merge
 * keyed by the earliest timestamp it could hold, so a query that stops at its limit never
 * decompresses the blocks it did not reach. Single-threaded (one cursor per query and stream).
 */
final class EntryCursorReference implements EntryIterator {
  private final long start;
  private final long end;
  private final boolean forward;
  private final PriorityQueue<Source> queue;
  private int blocksDecoded;
  private long ts;
  private String line;
  private Labels metadata;

  EntryCursorReference(StreamSnapshot snapshot, long start, long end, boolean forward) {
    this.start = start;
    this.end = end;
    this.forward = forward;
    Comparator<Source> byKey = forward
        ? Comparator.comparingLong((Source s) -> s.key)
        : Comparator.comparingLong((Source s) -> s.key).reversed();
    Comparator<Source> byOrder = forward
        ? Comparator.comparingInt((Source s) -> s.order)
        : Comparator.comparingInt((Source s) -> s.order).reversed();
    // on equal keys a block not yet decoded goes first: it may hold an entry that sorts before the rest
    this.queue = new PriorityQueue<>(byKey.thenComparing((Source s) -> s.run != null).thenComparing(byOrder));
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

  /** Moves to the next entry; false when there is none. */
  @Override
  public boolean next() {
    while (!queue.isEmpty()) {
      Source s = queue.poll();
      if (s.run == null) {
        blocksDecoded++;
        s.position(s.block.decode());
        if (s.hasNext()) {
          queue.add(s);
        }
        continue;
      }
      ts = s.run.ts(s.pos);
      line = s.run.line(s.pos);
      metadata = s.run.metadata(s.pos);
      s.pos += forward ? 1 : -1;
      if (s.hasNext()) {
        s.key = s.run.ts(s.pos);
        queue.add(s);
      }
      return true;
    }
    return false;
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
      if (hasNext()) {
        key = r.ts(pos);
      }
    }

    boolean hasNext() {
      return pos != stop;
    }
  }
}
