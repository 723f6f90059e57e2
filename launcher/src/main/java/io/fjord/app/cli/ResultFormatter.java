package io.fjord.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fjord.app.cli.QueryResult.Entry;
import io.fjord.app.cli.QueryResult.Point;
import io.fjord.app.cli.QueryResult.Series;
import io.fjord.schemas.labels.Labels;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link QueryResult} into printed lines. Log entries: {@code <RFC3339 time> {labels}
 * <line>} (default), the line alone (raw), or {@code {"timestamp":..,"labels":{..},"line":..}}
 * (jsonl). Metric samples, one per line: {@code <RFC3339 time> {labels} <value>}, or {@code
 * {"timestamp":..,"metric":{..},"value":..}} in jsonl. Times are UTC. Pure; thread-safe.
 */
final class ResultFormatter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultFormatter() {}

  static List<String> lines(QueryResult result, OutputMode mode) {
    List<String> out = new ArrayList<>();
    if (result instanceof QueryResult.Streams s) {
      s.entries().forEach(e -> out.add(entry(e, mode)));
    } else if (result instanceof QueryResult.Matrix m) {
      m.series().forEach(s -> s.points().forEach(p -> out.add(sample(s.metric(), p, mode))));
    } else if (result instanceof QueryResult.Vector v) {
      v.samples().forEach(s -> s.points().forEach(p -> out.add(sample(s.metric(), p, mode))));
    } else if (result instanceof QueryResult.Scalar sc) {
      out.add(sample(null, sc.point(), mode));
    }
    return out;
  }

  static String entry(Entry e, OutputMode mode) {
    Instant time = Instant.ofEpochSecond(0, e.timestampNanos());
    return switch (mode) {
      case DEFAULT -> time(time) + " " + e.labels() + " " + e.line();
      case RAW -> e.line();
      case JSONL -> {
        ObjectNode o = JSON.createObjectNode();
        o.put("timestamp", time(time));
        o.set("labels", labelsJson(e.labels()));
        o.put("line", e.line());
        yield json(o);
      }
    };
  }

  /** One sample; {@code metric} is null for a scalar. */
  static String sample(Labels metric, Point p, OutputMode mode) {
    if (mode == OutputMode.JSONL) {
      ObjectNode o = JSON.createObjectNode();
      o.put("timestamp", time(p.time()));
      if (metric != null) {
        o.set("metric", labelsJson(metric));
      }
      o.put("value", p.value());
      return json(o);
    }
    return time(p.time()) + (metric == null ? "" : " " + metric) + " " + p.value();
  }

  static String time(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }

  private static ObjectNode labelsJson(Labels labels) {
    ObjectNode o = JSON.createObjectNode();
    for (String[] pair : labels.pairs()) {
      o.put(pair[0], pair[1]);
    }
    return o;
  }

  private static String json(ObjectNode o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree of strings always serialises
    }
  }
}
