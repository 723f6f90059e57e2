package io.fjord.logql.ast;

import java.util.List;

/**
 * The vector matching of a binary operation: {@code on(...)}/{@code ignoring(...)} and
 * {@code group_left(...)}/{@code group_right(...)}. Immutable.
 */
public record VectorMatching(boolean on, List<String> labels, Cardinality cardinality, List<String> include) {
  public VectorMatching {
    labels = List.copyOf(labels);
    include = List.copyOf(include);
  }

  /** One-to-one, or many-to-one ({@code group_left}), or one-to-many ({@code group_right}). */
  public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY }
}
