package io.fjord.ingester.chunk;

import io.fjord.schemas.labels.Labels;
import java.util.Arrays;

/**
 * The head of an open chunk: raw entries sorted by timestamp (equal timestamps in arrival order),
 * kept in parallel arrays with the lines' UTF-8 bytes in one append-only byte array, instead of one
 * entry object, one string and one byte array per line. A replay fills every stream's head at once
 * and the heads live until they are cut into blocks: as objects they made every young collection
 * copy and scan hundreds of thousands of entries; as arrays they are a handful of objects per stream.
 *
 * <p>Line bytes are only ever appended ({@link #insert} at any position moves the small per-entry
 * arrays, never the bytes), so a {@link HeadRun} taken by {@link #run} may share the byte array:
 * later inserts write past what it can see, and a grown array is a new one. {@link #clear} starts
 * new arrays for the same reason.
 *
 * <p>Not thread-safe: {@link StreamMemory} guards it with its lock (the writer may read without it).
 */
final class Head {
  private static final int MIN_ENTRIES = 16;
  private static final int MIN_BYTES = 1024;
  private static final long[] NO_TS = new long[0];
  private static final int[] NO_INTS = new int[0];
  private static final byte[] NO_BYTES = new byte[0];
  private long[] ts = NO_TS;
  private int[] starts = NO_INTS;
  private int[] lengths = NO_INTS;
  /** Null while no entry carries structured metadata (the usual case). */
  private Labels[] metadata;
  private byte[] bytes = NO_BYTES;
  private int size;
  private int used;
  /** How many entries and line bytes to make room for at the first insert (the last head's size). */
  private int entriesHint;
  private int bytesHint;

  /** An empty head; it allocates nothing until the first insert. */
  Head() {
    this(MIN_ENTRIES, MIN_BYTES);
  }

  /** An empty head that makes room for about this many entries and line bytes at its first insert. */
  Head(int entries, int bytes) {
    this.entriesHint = Math.max(entries, MIN_ENTRIES);
    this.bytesHint = Math.max(bytes, MIN_BYTES);
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long ts(int i) {
    return ts[i];
  }

  /** The size of the line byte array (allocated, not used). */
  int byteCapacity() {
    return bytes.length;
  }

  /** UTF-8 bytes of all lines held. */
  int lineBytes() {
    return used;
  }

  /**
   * The index after the last entry with a timestamp {@code <= t}: where an entry with timestamp
   * {@code t} is inserted. An entry not older than the newest (the in-order case) goes at the end
   * without a search.
   */
  int upperBound(long t) {
    int n = size;
    if (n == 0 || ts[n - 1] <= t) {
      return n;
    }
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The index of the first entry with a timestamp {@code >= t}. */
  int lowerBound(long t) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Whether an entry with this timestamp and line (UTF-8) is held, given {@code upperBound} =
   * {@link #upperBound}{@code (t)}: the candidates are the equal timestamps just before it.
   */
  boolean contains(int upperBound, long t, byte[] line) {
    return contains(upperBound, t, line, 0, line.length);
  }

  /** As {@link #contains(int, long, byte[])} for the line {@code line[off, off + len)}. */
  boolean contains(int upperBound, long t, byte[] line, int off, int len) {
    for (int i = upperBound - 1; i >= 0 && ts[i] == t; i--) {
      if (lengths[i] == len && Arrays.equals(bytes, starts[i], starts[i] + len, line, off, off + len)) {
        return true;
      }
    }
    return false;
  }

  /** Inserts an entry at {@code at} (from {@link #upperBound}); {@code line} is UTF-8 and is copied. */
  void insert(int at, long t, byte[] line, Labels md) {
    insert(at, t, line, 0, line.length, md);
  }

  /** As {@link #insert(int, long, byte[], Labels)} for the line {@code line[off, off + len)}, which is copied. */
  void insert(int at, long t, byte[] line, int off, int len, Labels md) {
    if (size == ts.length) {
      int n = Math.max(size * 2, entriesHint);
      ts = Arrays.copyOf(ts, n);
      starts = Arrays.copyOf(starts, n);
      lengths = Arrays.copyOf(lengths, n);
      if (metadata != null) {
        metadata = Arrays.copyOf(metadata, n);
      }
    }
    if (used + len > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(Math.max(bytes.length * 2, bytesHint), used + len));
    }
    if (at < size) {
      System.arraycopy(ts, at, ts, at + 1, size - at);
      System.arraycopy(starts, at, starts, at + 1, size - at);
      System.arraycopy(lengths, at, lengths, at + 1, size - at);
      if (metadata != null) {
        System.arraycopy(metadata, at, metadata, at + 1, size - at);
      }
    }
    if (!md.isEmpty() && metadata == null) {
      metadata = new Labels[ts.length];
      Arrays.fill(metadata, 0, size + 1, Labels.EMPTY);
    }
    System.arraycopy(line, off, bytes, used, len);
    ts[at] = t;
    starts[at] = used;
    lengths[at] = len;
    if (metadata != null) {
      metadata[at] = md;
    }
    used += len;
    size++;
  }

  /**
   * The entries {@code [from, to)} as an immutable run: copies of the per-entry arrays, sharing the
   * line bytes (append-only, see the class comment).
   */
  HeadRun run(int from, int to) {
    if (from >= to) {
      return HeadRun.EMPTY;
    }
    return new HeadRun(Arrays.copyOfRange(ts, from, to), bytes, Arrays.copyOfRange(starts, from, to),
        Arrays.copyOfRange(lengths, from, to), metadata == null ? null : Arrays.copyOfRange(metadata, from, to));
  }

  /** All entries as a run that shares this head's arrays: only for a head about to be {@link #clear}ed. */
  HeadRun detach() {
    return new HeadRun(Arrays.copyOf(ts, size), bytes, starts, lengths, metadata);
  }

  /**
   * Empties the head, never reusing arrays a run may still read. Nothing is allocated until the next
   * insert (a sealed chunk's head stays empty for good), which then makes room for an eighth more than
   * the head held now: the next head of the stream is likely to be as big.
   */
  void clear() {
    // an eighth more than this head held: heads are cut at a byte size, so the next one usually
    // holds about as much, and half the time a little more, which without the slack doubled (and
    // copied) its arrays just before its cut (bench/RESULTS.md, brief I)
    entriesHint = Math.max(size + size / 8, MIN_ENTRIES);
    bytesHint = Math.max(used + used / 8, MIN_BYTES);
    ts = NO_TS;
    starts = NO_INTS;
    lengths = NO_INTS;
    metadata = null;
    bytes = NO_BYTES;
    size = 0;
    used = 0;
  }
}
