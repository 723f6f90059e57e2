package io.fjord.logql.ast;

import java.util.Arrays;
import java.util.Optional;

/** The vector aggregation operators ({@code sum}, {@code topk}, {@code sort}, ...), by LogQL name. */
public enum VectorOp {
  SUM, AVG, COUNT, MAX, MIN, STDDEV, STDVAR, BOTTOMK, TOPK, SORT, SORT_DESC;

  public String lokiName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** True for {@code topk}/{@code bottomk}, which take a leading integer parameter. */
  public boolean needsParameter() {
    return this == TOPK || this == BOTTOMK;
  }

  public static Optional<VectorOp> byName(String name) {
    return Arrays.stream(values()).filter(o -> o.lokiName().equals(name)).findFirst();
  }
}
