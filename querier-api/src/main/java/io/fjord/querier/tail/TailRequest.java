package io.fjord.querier.tail;

import java.util.List;
import java.util.Objects;

/**
 * A {@code tail} request: the tenants, the LogQL log query, the {@code start} of the history sent
 * first (Unix nanoseconds), how long to hold entries back so late ones can be sent in order
 * ({@code delay_for}, 0..5 s), and how many entries of history to send ({@code limit}). Immutable.
 */
public record TailRequest(List<String> tenants, String query, long startNanos, long delayForNanos, int limit) {
  public TailRequest {
    tenants = List.copyOf(tenants);
    Objects.requireNonNull(query, "query");
  }
}
