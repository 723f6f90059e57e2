package io.fjord.logql.eval;

import io.fjord.logql.ast.LineFilterOp;
import io.fjord.logql.ast.LineFilterStage;
import io.fjord.logql.ast.LineFilterValue;
import io.fjord.logql.regex.Re2;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Compiles line filters ({@code |= != |~ !~ |> !>}, with {@code or} alternatives and
 * {@code ip()}) into predicates on the line. Plain substrings use {@link String#indexOf} (never a
 * regex); a regex without metacharacters becomes a substring search too; regexes are unanchored
 * RE2 compiled once. Stateless; the stages it returns are immutable and thread-safe.
 */
final class LineFilters {
  private LineFilters() {}

  static Stage compile(LineFilterStage stage) {
    LineFilterOp op = stage.op();
    List<Predicate<String>> alternatives = new ArrayList<>();
    for (LineFilterValue v : stage.values()) {
      alternatives.add(positive(op, v));
    }
    Predicate<String> any = alternatives.size() == 1 ? alternatives.get(0) : anyOf(alternatives);
    Predicate<String> filter = op.isNegative() ? any.negate() : any;
    return new Stage() {
      @Override
      public boolean process(Entry entry) {
        return filter.test(entry.line);
      }

      @Override
      public boolean touchesLabels() {
        return false;
      }
    };
  }

  private static Predicate<String> anyOf(List<Predicate<String>> alternatives) {
    @SuppressWarnings("unchecked")
    Predicate<String>[] array = alternatives.toArray(new Predicate[0]);
    return line -> {
      for (Predicate<String> p : array) {
        if (p.test(line)) {
          return true;
        }
      }
      return false;
    };
  }

  /** The "matches" predicate of one value, before the operator's negation. */
  private static Predicate<String> positive(LineFilterOp op, LineFilterValue v) {
    if (v.ip()) {
      if (op != LineFilterOp.CONTAINS && op != LineFilterOp.NOT_CONTAINS) {
        throw new IllegalArgumentException("ip() filter only supports |= and != operations");
      }
      IpMatcher ip = IpMatcher.of(v.value());
      return ip::matchesLine;
    }
    String s = v.value();
    return switch (op) {
      case CONTAINS, NOT_CONTAINS -> contains(s);
      case MATCH, NOT_MATCH -> regex(s);
      case PATTERN, NOT_PATTERN -> {
        LinePattern p = LinePattern.parse(s);
        yield p::matchesLine;
      }
    };
  }

  private static Predicate<String> contains(String s) {
    if (s.isEmpty()) {
      return line -> true;
    }
    return line -> line.contains(s);
  }

  private static Predicate<String> regex(String re) {
    if (isPlainText(re)) {
      return contains(re);
    }
    Pattern p = Re2.compile(re).pattern();
    return line -> p.matcher(line).find();
  }

  private static boolean isPlainText(String re) {
    for (int i = 0; i < re.length(); i++) {
      if ("\\^$.|?*+()[]{}".indexOf(re.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }
}
