package io.fjord.querier.source;

import java.util.List;

/**
 * Label names ({@code name == null}) or the values of label {@code name}, of the streams with data
 * in {@code startNanos <= ts < endNanos}, only of streams matching {@code selector} when it is not
 * null. Immutable.
 */
public record LabelsRequest(List<String> tenants, long startNanos, long endNanos, String name, String selector) {
  public LabelsRequest {
    tenants = List.copyOf(tenants);
  }
}
