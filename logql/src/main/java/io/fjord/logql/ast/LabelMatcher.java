package io.fjord.logql.ast;

import java.util.Objects;

/** One {@code name op "value"} matcher of a stream selector or a label filter. Immutable. */
public record LabelMatcher(String name, MatchType type, String value, Position position) {
  public LabelMatcher {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(position, "position");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append(type.symbol());
    io.fjord.schemas.labels.Labels.quote(value, sb);
    return sb.toString();
  }
}
