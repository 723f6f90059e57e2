package io.fjord.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.app.cli.QueryResult.Entry;
import io.fjord.app.cli.QueryResult.Point;
import io.fjord.app.cli.QueryResult.Series;
import io.fjord.schemas.labels.Labels;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the JSON bodies of Loki's {@code query_range} and {@code tail} answers into {@link
 * QueryResult}s. Log entries of all streams are merged into one list ordered by time (newest first
 * unless {@code forward}), as logcli prints them. Pure and stateless; thread-safe.
 */
final class ResponseParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResponseParser() {}

  /** Decodes a {@code {"status":"success","data":{"resultType":..,"result":..}}} body. */
  static QueryResult queryResponse(String body, boolean forward) {
    JsonNode data = read(body).path("data");
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (type) {
      case "streams" -> new QueryResult.Streams(entries(result, forward));
      case "matrix" -> new QueryResult.Matrix(series(result, "values"));
      case "vector" -> new QueryResult.Vector(series(result, "value"));
      case "scalar" -> new QueryResult.Scalar(point(result));
      default -> throw new IllegalArgumentException("unexpected resultType \"" + type + "\" in the answer");
    };
  }

  /** The entries of one tail message {@code {"streams":[..]}}, oldest first. */
  static List<Entry> tailMessage(String body) {
    return entries(read(body).path("streams"), true);
  }

  private static List<Entry> entries(JsonNode streams, boolean forward) {
    List<Entry> out = new ArrayList<>();
    for (JsonNode s : streams) {
      Labels labels = labels(s.path("stream"));
      for (JsonNode v : s.path("values")) {
        Labels all = v.size() > 2 ? labels.merge(labels(v.get(2))) : labels;
        out.add(new Entry(Long.parseLong(v.get(0).asText()), all, v.get(1).asText()));
      }
    }
    Comparator<Entry> byTime = Comparator.comparingLong(Entry::timestampNanos);
    out.sort(forward ? byTime : byTime.reversed());
    return List.copyOf(out);
  }

  private static List<Series> series(JsonNode result, String valuesField) {
    List<Series> out = new ArrayList<>();
    for (JsonNode s : result) {
      JsonNode values = s.path(valuesField);
      List<Point> points = new ArrayList<>();
      if (valuesField.equals("value")) {
        points.add(point(values));
      } else {
        values.forEach(v -> points.add(point(v)));
      }
      out.add(new Series(labels(s.path("metric")), List.copyOf(points)));
    }
    return List.copyOf(out);
  }

  /** {@code [<unix seconds, fractional>, "<value>"]}. */
  private static Point point(JsonNode pair) {
    BigDecimal seconds = new BigDecimal(pair.get(0).asText());
    long whole = seconds.longValue();
    int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
    return new Point(Instant.ofEpochSecond(whole, nanos), pair.get(1).asText());
  }

  private static Labels labels(JsonNode object) {
    Map<String, String> pairs = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> pairs.put(e.getKey(), e.getValue().asText()));
    return Labels.of(pairs);
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the answer is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
