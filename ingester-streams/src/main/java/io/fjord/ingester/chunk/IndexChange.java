package io.fjord.ingester.chunk;

/** What the index must learn about a stream since it was last told ({@link StreamMemory#takeIndexChange}). */
public enum IndexChange {
  /** Nothing changed. */
  NONE,
  /** The index does not know the stream yet: write its postings and its series row. */
  NEW,
  /** The stream's time range grew: rewrite its series row. */
  RANGE
}
