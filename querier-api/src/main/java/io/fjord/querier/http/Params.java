package io.fjord.querier.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's parameters, from the URL query and (for form-encoded POSTs, as Grafana sends them) the
 * body, merged as Go's {@code Request.Form} merges them: body values come first, so a single-valued
 * read prefers the body. Immutable.
 */
public final class Params {
  private final Map<String, List<String>> values;

  private Params(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Body values first, then URL values, per name. */
  public static Params of(Map<String, List<String>> form, Map<String, List<String>> query) {
    Map<String, List<String>> merged = new LinkedHashMap<>();
    form.forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    query.forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    merged.replaceAll((k, v) -> List.copyOf(v));
    return new Params(merged);
  }

  /** Single-valued parameters, for tests and simple callers. */
  public static Params of(Map<String, String> single) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    single.forEach((k, v) -> m.put(k, List.of(v)));
    return new Params(m);
  }

  /** The first value of {@code name}, or {@code null} when absent or empty. */
  public String get(String name) {
    List<String> v = values.get(name);
    if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
      return null;
    }
    return v.get(0);
  }

  /** Every value of {@code name}, in order; empty when absent. */
  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }
}
