package io.fjord.logql.eval;

/**
 * One compiled pipeline stage. Stages are built once per query and shared by all streams, so an
 * implementation keeps no per-entry state in fields: it is immutable and thread-safe, and works
 * on the {@link Entry} it is given.
 */
interface Stage {
  /** Applies the stage; false drops the entry. */
  boolean process(Entry entry);

  /** True when the stage may change labels (so the pipeline must rebuild the label set). */
  default boolean touchesLabels() {
    return true;
  }
}
