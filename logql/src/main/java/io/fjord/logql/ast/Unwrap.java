package io.fjord.logql.ast;

import java.util.List;

/**
 * {@code | unwrap [conv(]label[)]} followed by optional label filters (typically
 * {@code | __error__=""}), which are the only stages allowed after an unwrap. Immutable.
 */
public record Unwrap(String label, UnwrapConversion conversion, List<LabelFilter> postFilters, Position position) {
  public Unwrap {
    postFilters = List.copyOf(postFilters);
  }
}
