package io.fjord.logql.ast;

import java.util.List;

/** {@code by (a, b)} or {@code without (a, b)}; an empty list is allowed ({@code by ()}). Immutable. */
public record Grouping(boolean without, List<String> labels) {
  public Grouping {
    labels = List.copyOf(labels);
  }
}
