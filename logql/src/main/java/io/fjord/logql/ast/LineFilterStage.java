package io.fjord.logql.ast;

import java.util.List;

/**
 * A line filter {@code |= "a" or "b"}. The {@code values} are alternatives joined by {@code or}:
 * a positive operator keeps a line matching any of them, a negative operator drops a line matching
 * any of them (so {@code != "a" or "b"} is {@code != "a" != "b"}, as in Loki). Immutable.
 */
public record LineFilterStage(LineFilterOp op, List<LineFilterValue> values, Position position)
    implements PipelineStage {
  public LineFilterStage {
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a line filter needs at least one value");
    }
  }
}
