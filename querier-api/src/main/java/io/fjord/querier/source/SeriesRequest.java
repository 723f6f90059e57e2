package io.fjord.querier.source;

import java.util.List;

/** The series with data in the range that match any of the selectors in {@code match}. Immutable. */
public record SeriesRequest(List<String> tenants, long startNanos, long endNanos, List<String> match) {
  public SeriesRequest {
    tenants = List.copyOf(tenants);
    match = List.copyOf(match);
  }
}
