package io.fjord.logql.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a log query's scan into {@code parts} shares of about equal work, one per core, so that
 * every core is busy to the end of the scan: the selected streams are laid end to end in the order
 * given, each as its pieces of work (memory blocks, chunk objects) in time order, and the line is
 * cut into equal weights. A stream that straddles a cut is split in time at the start of the piece
 * where its next share begins, so its shares are disjoint time ranges ({@code [start, end)}) that
 * together cover the query's range exactly: every entry is read by one share, also when pieces
 * overlap in time (a piece that spans a cut is then read by both shares, each keeping its own
 * range). Before, the unit was the whole stream (the store) or the whole partition (the
 * ingesters): four streams on three partitions left one core idle for a third of an in-memory
 * scan, and a query of one stream ran on one core.
 *
 * <p>Each share is merged to the limit on its own and the first entries of all are kept
 * ({@link LogMerge#firstOf}), which regroups the time ranges of one stream into one answer stream.
 * Every share reads until it has the limit, so streams are cut in time only when the caller asks
 * ({@code cutStreams}: a query with a line filter, which may scan far for few entries); a query
 * that keeps every line stops within a block or two and reads each stream from one end only.
 * Pure and thread-safe.
 */
public final class ScanSlices {
  private ScanSlices() {}

  /** A unit of a stream's work whose entries all lie in {@code [fromNanos, throughNanos]}. */
  public record Piece(long fromNanos, long throughNanos, long weight) {}

  /** The entries of stream {@code stream} (its index in the input) with {@code startNanos <= ts < endNanos}. */
  public record Slice(int stream, long startNanos, long endNanos) {}

  /**
   * @param streams each stream's pieces, in any order (weights not negative)
   * @param startNanos the query's range start (inclusive)
   * @param endNanos the query's range end (exclusive)
   * @param parts how many shares at most (the cores to use)
   * @param cutStreams whether a stream may be split in time between shares (otherwise each stream
   *     goes whole to the share where its middle falls)
   * @return the non-empty shares; every stream's range is covered once across them, its slices in
   *     time order and in ascending shares
   */
  public static List<List<Slice>> split(List<List<Piece>> streams, long startNanos, long endNanos, int parts,
      boolean cutStreams) {
    int n = Math.max(1, parts);
    List<List<Slice>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    long total = 0;
    for (List<Piece> pieces : streams) {
      for (Piece p : pieces) {
        total += Math.max(0, p.weight());
      }
    }
    double share = total / (double) n;
    long before = 0; // weight laid down before the current piece
    for (int s = 0; s < streams.size(); s++) {
      List<Piece> pieces = cutStreams ? new ArrayList<>(streams.get(s)) : whole(streams.get(s));
      pieces.sort(Comparator.comparingLong(Piece::fromNanos));
      int part = -1;
      long sliceStart = startNanos;
      for (Piece p : pieces) {
        long w = Math.max(0, p.weight());
        int due = total == 0 ? 0 : (int) Math.min(n - 1, (before + w / 2.0) / share);
        before += w;
        if (part < 0) {
          part = due;
        } else if (due != part && p.fromNanos() > sliceStart && p.fromNanos() < endNanos) {
          out.get(part).add(new Slice(s, sliceStart, p.fromNanos()));
          sliceStart = p.fromNanos();
          part = due;
        }
      }
      if (part < 0) {
        part = total == 0 ? s % n : (int) Math.min(n - 1, before / share);
      }
      out.get(part).add(new Slice(s, sliceStart, endNanos));
    }
    out.removeIf(List::isEmpty);
    return out;
  }

  /** A stream's pieces as one piece (none when it has none). */
  private static List<Piece> whole(List<Piece> pieces) {
    if (pieces.isEmpty()) {
      return new ArrayList<>();
    }
    long from = Long.MAX_VALUE;
    long through = Long.MIN_VALUE;
    long weight = 0;
    for (Piece p : pieces) {
      from = Math.min(from, p.fromNanos());
      through = Math.max(through, p.throughNanos());
      weight += Math.max(0, p.weight());
    }
    List<Piece> one = new ArrayList<>(1);
    one.add(new Piece(from, through, weight));
    return one;
  }
}
