package io.fjord.logql.ast;

/**
 * A predicate on an entry's labels (stream labels, structured metadata and extracted labels).
 * Typed by the literal on its right: a string matcher, a number, a duration, a byte size, or an
 * {@code ip(...)}; combined with {@code and}/{@code or}. Implementations are records.
 */
public sealed interface LabelFilter
    permits LabelFilter.Matcher, LabelFilter.Numeric, LabelFilter.Duration, LabelFilter.Bytes,
        LabelFilter.Ip, LabelFilter.Binary {
  Position position();

  /** {@code name op "string"}: exactly like a stream selector matcher (regexes fully anchored). */
  record Matcher(LabelMatcher matcher) implements LabelFilter {
    @Override
    public Position position() {
      return matcher.position();
    }
  }

  /** {@code name op 1.5}: the label value is parsed as a float64. */
  record Numeric(String name, ComparisonOp op, double value, Position position) implements LabelFilter {}

  /** {@code name op 1m30s}: the label value is parsed as a Go duration; compared in nanoseconds. */
  record Duration(String name, ComparisonOp op, long nanos, Position position) implements LabelFilter {}

  /** {@code name op 20KB}: the label value is parsed as a byte size. */
  record Bytes(String name, ComparisonOp op, long bytes, Position position) implements LabelFilter {}

  /** {@code name = ip("10.0.0.0/8")} or {@code !=}: only those two operators are allowed. */
  record Ip(String name, boolean negated, String pattern, Position position) implements LabelFilter {}

  /** {@code left and right}, {@code left or right} (comma, space and pipe mean {@code and}). */
  record Binary(boolean and, LabelFilter left, LabelFilter right, Position position) implements LabelFilter {}
}
