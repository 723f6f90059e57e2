package io.fjord.ingester.chunk;

import io.fjord.logql.eval.LinePrefilter;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.text.Utf8;

/**
 * A run of entries sorted by timestamp (equal timestamps in arrival order), indexed from 0: a
 * decoded block or a copy of a head. Implementations are immutable once built; safe to share.
 */
public interface EntryRun {
  int size();

  long ts(int i);

  String line(int i);

  Labels metadata(int i);

  /** The UTF-8 length in bytes of line {@code i}. */
  default long lineBytes(int i) {
    return Utf8.length(line(i));
  }

  /** False only when line {@code i} cannot pass a pipeline whose prefilter is {@code prefilter}. */
  default boolean mayKeep(int i, LinePrefilter prefilter) {
    return prefilter.mayKeep(line(i));
  }

  /** The first index whose timestamp is {@code >= ts} ({@link #size()} when none). */
  default int lowerBound(long ts) {
    int lo = 0;
    int hi = size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts(mid) < ts) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** True when the run holds an entry with exactly this timestamp and line. */
  default boolean contains(long ts, String line) {
    for (int i = lowerBound(ts); i < size() && ts(i) == ts; i++) {
      if (line(i).equals(line)) {
        return true;
      }
    }
    return false;
  }
}
