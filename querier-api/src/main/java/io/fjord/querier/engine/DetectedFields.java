package io.fjord.querier.engine;

import io.fjord.logql.LogQL;
import io.fjord.logql.eval.LogLine;
import io.fjord.logql.eval.LogPipeline;
import io.fjord.logql.eval.StreamPipeline;
import io.fjord.logql.units.ByteSizes;
import io.fjord.logql.units.GoDurations;
import io.fjord.querier.source.Entry;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds the fields of log lines for {@code detected_fields} and {@code detected_field/<name>/values}:
 * a line that starts with {@code {} is parsed as JSON, any other as logfmt (with LogQL's own
 * {@code json} and {@code logfmt} stages, so names are sanitised and nested JSON keys joined with
 * {@code _} exactly as a query would see them). A field's type is that of the first value seen:
 * {@code int}, {@code float}, {@code boolean}, {@code duration}, {@code bytes}, else {@code
 * string}; its cardinality is the exact number of distinct values. Not thread-safe: one per request.
 */
public final class DetectedFields {
  /** One detected field. */
  public record Field(String label, String type, int cardinality, List<String> parsers) {}

  private static final LogPipeline JSON = LogPipeline.of(LogQL.parseSelector("{a=\"b\"} | json"));
  private static final LogPipeline LOGFMT = LogPipeline.of(LogQL.parseSelector("{a=\"b\"} | logfmt"));

  private final StreamPipeline json = JSON.forStream(Labels.EMPTY);
  private final StreamPipeline logfmt = LOGFMT.forStream(Labels.EMPTY);
  private final Map<String, String> types = new TreeMap<>();
  private final Map<String, Set<String>> values = new TreeMap<>();
  private final Map<String, Set<String>> parsers = new TreeMap<>();

  /** Adds the fields of one line. */
  public void add(Entry e) {
    boolean isJson = e.line().stripLeading().startsWith("{");
    LogLine parsed = (isJson ? json : logfmt).process(e.tsNanos(), e.line(), Labels.EMPTY);
    if (parsed == null || parsed.labels().get("__error__") != null) {
      return;
    }
    Labels l = parsed.labels();
    for (int i = 0; i < l.size(); i++) {
      String name = l.name(i);
      if (name.startsWith("__")) {
        continue;
      }
      String value = l.value(i);
      types.putIfAbsent(name, typeOf(value));
      values.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(value);
      parsers.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(isJson ? "json" : "logfmt");
    }
  }

  /** The fields seen, sorted by name, at most {@code limit}. */
  public List<Field> fields(int limit) {
    List<Field> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : values.entrySet()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(new Field(e.getKey(), types.get(e.getKey()), e.getValue().size(),
          List.copyOf(parsers.get(e.getKey()))));
    }
    return out;
  }

  /** The distinct values of field {@code name} in the order first seen, at most {@code limit}. */
  public List<String> values(String name, int limit) {
    return values.getOrDefault(name, Set.of()).stream().limit(limit).toList();
  }

  /** Loki's type of a field value: the first of int, float, boolean, duration, bytes that parses. */
  static String typeOf(String v) {
    if (v.matches("[+-]?\\d+")) {
      try {
        Long.parseLong(v);
        return "int";
      } catch (NumberFormatException e) {
        // too large for an int: maybe a float
      }
    }
    if (v.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(?i:inf|infinity|nan)")) {
      return "float";
    }
    if (Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False").contains(v)) {
      return "boolean";
    }
    try {
      GoDurations.parseGo(v);
      return "duration";
    } catch (IllegalArgumentException e) {
      // not a duration
    }
    try {
      ByteSizes.parse(v);
      return "bytes";
    } catch (IllegalArgumentException e) {
      return "string";
    }
  }
}
