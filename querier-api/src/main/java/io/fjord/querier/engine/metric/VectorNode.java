package io.fjord.querier.engine.metric;

import io.fjord.querier.engine.VectorSample;
import java.util.List;

/**
 * One vector-valued node of a compiled metric query. The evaluator asks it for the instant vector
 * at each evaluation time, in increasing order, once each (nodes may keep cursors between calls).
 * Single-threaded: one instance per query evaluation.
 */
interface VectorNode {
  /** The vector at evaluation time {@code ts}; no two samples with the same labels. */
  List<VectorSample> next(long ts);
}
