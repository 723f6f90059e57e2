package io.fjord.logql.ast;

import java.util.Objects;

/**
 * One operand of a line filter: a string (substring, regex or pattern depending on the operator),
 * or, when {@code ip} is true, an {@code ip("...")} address, range or CIDR. Immutable.
 */
public record LineFilterValue(String value, boolean ip, Position position) {
  public LineFilterValue {
    Objects.requireNonNull(value, "value");
  }
}
