package io.fjord.logql.ast;

import java.util.Arrays;
import java.util.Optional;

/** The range aggregations ({@code rate(...[5m])}, {@code count_over_time}, ...), by LogQL name. */
public enum RangeOp {
  COUNT_OVER_TIME(false), RATE(false), RATE_COUNTER(true), BYTES_OVER_TIME(false), BYTES_RATE(false),
  AVG_OVER_TIME(true), SUM_OVER_TIME(true), MIN_OVER_TIME(true), MAX_OVER_TIME(true),
  STDVAR_OVER_TIME(true), STDDEV_OVER_TIME(true), QUANTILE_OVER_TIME(true), FIRST_OVER_TIME(true),
  LAST_OVER_TIME(true), ABSENT_OVER_TIME(false);

  private final boolean needsUnwrap;

  RangeOp(boolean needsUnwrap) {
    this.needsUnwrap = needsUnwrap;
  }

  /** The name as written in a query, e.g. {@code count_over_time}. */
  public String lokiName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** True when the aggregation works on unwrapped values and so requires {@code | unwrap}. */
  public boolean needsUnwrap() {
    return needsUnwrap;
  }

  /** True when {@code by}/{@code without} may follow the aggregation (unwrapped ones except sum and rate_counter). */
  public boolean allowsGrouping() {
    return switch (this) {
      case AVG_OVER_TIME, MIN_OVER_TIME, MAX_OVER_TIME, STDVAR_OVER_TIME, STDDEV_OVER_TIME,
          QUANTILE_OVER_TIME, FIRST_OVER_TIME, LAST_OVER_TIME -> true;
      default -> false;
    };
  }

  public static Optional<RangeOp> byName(String name) {
    return Arrays.stream(values()).filter(o -> o.lokiName().equals(name)).findFirst();
  }
}
