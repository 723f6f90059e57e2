package io.fjord.app.cli;

import io.fjord.schemas.labels.Labels;
import java.time.Instant;
import java.util.List;

/** A decoded Loki query answer: log entries or a metric matrix, vector or scalar. Immutable. */
sealed interface QueryResult {
  /** One log line of one stream. */
  record Entry(long timestampNanos, Labels labels, String line) {}

  /** One metric sample value (Loki sends values as strings; they are printed unchanged). */
  record Point(Instant time, String value) {}

  /** One metric series of a matrix. */
  record Series(Labels metric, List<Point> points) {}

  /** A log query's entries, already in the order they are printed. */
  record Streams(List<Entry> entries) implements QueryResult {}

  /** A range metric query's series. */
  record Matrix(List<Series> series) implements QueryResult {}

  /** An instant metric query's samples: one point per series. */
  record Vector(List<Series> samples) implements QueryResult {}

  /** A scalar result. */
  record Scalar(Point point) implements QueryResult {}
}
