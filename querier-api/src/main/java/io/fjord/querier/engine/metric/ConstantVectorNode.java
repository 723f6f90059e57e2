package io.fjord.querier.engine.metric;

import io.fjord.querier.engine.VectorSample;
import io.fjord.schemas.labels.Labels;
import java.util.List;

/** {@code vector(x)}: one sample without labels, x at every evaluation time. Immutable. */
final class ConstantVectorNode implements VectorNode {
  private final List<VectorSample> vector;

  ConstantVectorNode(double value) {
    this.vector = List.of(new VectorSample(Labels.EMPTY, value));
  }

  @Override
  public List<VectorSample> next(long ts) {
    return vector;
  }
}
