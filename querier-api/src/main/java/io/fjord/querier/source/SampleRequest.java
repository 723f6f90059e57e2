package io.fjord.querier.source;

import io.fjord.logql.ast.Grouping;
import java.util.List;
import java.util.Objects;

/**
 * The samples of one range aggregation of a metric query, as a source sees the request: the
 * tenants, the range aggregation as LogQL text (its selector, pipeline, unwrap and grouping say
 * which entries give which samples; its range and offset do not matter here), the grouping to use
 * instead of the aggregation's own ({@code null}: its own), and the entries wanted,
 * {@code startNanos <= ts < endNanos}. Immutable.
 */
public record SampleRequest(List<String> tenants, String query, Grouping grouping, long startNanos, long endNanos) {
  public SampleRequest {
    tenants = List.copyOf(tenants);
    Objects.requireNonNull(query, "query");
  }
}
