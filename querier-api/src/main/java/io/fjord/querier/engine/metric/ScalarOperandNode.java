package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.BinaryOp;
import io.fjord.querier.engine.VectorSample;
import java.util.ArrayList;
import java.util.List;

/**
 * A binary operation between a vector and a number ({@code v * 2}, {@code 2 < v}): applied to each
 * sample, which keeps its labels. Arithmetic gives the computed value; a comparison keeps the
 * sample (with the vector's value, whichever side the vector is on) when true and drops it when
 * false, or with {@code bool} keeps every sample with the value 1 or 0. Single-threaded.
 */
final class ScalarOperandNode implements VectorNode {
  private final BinaryOp op;
  private final VectorNode vector;
  private final double scalar;
  private final boolean scalarOnLeft;
  private final boolean returnBool;

  ScalarOperandNode(BinaryOp op, VectorNode vector, double scalar, boolean scalarOnLeft, boolean returnBool) {
    this.op = op;
    this.vector = vector;
    this.scalar = scalar;
    this.scalarOnLeft = scalarOnLeft;
    this.returnBool = returnBool;
  }

  @Override
  public List<VectorSample> next(long ts) {
    List<VectorSample> in = vector.next(ts);
    List<VectorSample> out = new ArrayList<>(in.size());
    for (VectorSample s : in) {
      double l = scalarOnLeft ? scalar : s.value();
      double r = scalarOnLeft ? s.value() : scalar;
      if (op.isComparison()) {
        boolean holds = Arithmetic.compare(op, l, r);
        if (returnBool) {
          out.add(new VectorSample(s.labels(), holds ? 1 : 0));
        } else if (holds) {
          out.add(s);
        }
      } else {
        out.add(new VectorSample(s.labels(), Arithmetic.apply(op, l, r)));
      }
    }
    return out;
  }
}
