package io.fjord.logql.eval;

import io.fjord.logql.ast.LineFilterOp;
import io.fjord.logql.ast.LineFilterStage;
import io.fjord.logql.ast.LineFilterValue;
import io.fjord.logql.regex.RegexLiterals;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Compiles line filters ({@code |= != |~ !~ |> !>}, with {@code or} alternatives and
 * {@code ip()}) into predicates on the line. Plain substrings use {@link String#indexOf} (never a
 * regex); a regex without metacharacters becomes a substring search too; other regexes are
 * unanchored RE2 compiled once, run behind literal pre-checks ({@link RegexFilter}). Stateless;
 * the stages it returns are immutable and thread-safe.
 */
final class LineFilters {
  private LineFilters() {}

  @SuppressWarnings("unchecked")
  static LineFilter compile(LineFilterStage stage) {
    LineFilterOp op = stage.op();
    List<Predicate<String>> alternatives = new ArrayList<>();
    for (LineFilterValue v : stage.values()) {
      alternatives.add(positive(op, v));
    }
    Predicate<String> any = alternatives.size() == 1 ? alternatives.get(0) : anyOf(alternatives);
    Predicate<String> filter = op.isNegative() ? any.negate() : any;
    return new LineFilter(new Predicate[] {filter}, prefilter(stage));
  }

  /** The literals a line must hold one of to pass {@code stage}; {@link LinePrefilter#NONE} when unknown. */
  static LinePrefilter prefilter(LineFilterStage stage) {
    LineFilterOp op = stage.op();
    if (op != LineFilterOp.CONTAINS && op != LineFilterOp.MATCH) {
      return LinePrefilter.NONE;
    }
    List<String> literals = new ArrayList<>();
    for (LineFilterValue v : stage.values()) {
      if (v.ip()) {
        return LinePrefilter.NONE;
      }
      if (op == LineFilterOp.CONTAINS || isPlainText(v.value())) {
        literals.add(v.value());
        continue;
      }
      RegexLiterals.Analysis a = RegexLiterals.analyse(v.value());
      if (a == null || a.caseInsensitive()) {
        return LinePrefilter.NONE;
      }
      for (RegexLiterals.Branch b : a.branches()) {
        literals.add(b.literal()); // an empty one (no literal needed) makes the whole requirement NONE
      }
    }
    return LinePrefilter.anyOf(literals);
  }

  /**
   * A run of line filters: keeps the entry when its line passes every predicate. Reads only the
   * line, so it may run before any stage that leaves the line as it is ({@link LogPipeline}).
   */
  static final class LineFilter implements Stage {
    private final Predicate<String>[] all;
    private final LinePrefilter prefilter;

    LineFilter(Predicate<String>[] all, LinePrefilter prefilter) {
      this.all = all;
      this.prefilter = prefilter;
    }

    /** This filter followed by {@code next}, as one stage. */
    LineFilter then(LineFilter next) {
      @SuppressWarnings("unchecked")
      Predicate<String>[] both = new Predicate[all.length + next.all.length];
      System.arraycopy(all, 0, both, 0, all.length);
      System.arraycopy(next.all, 0, both, all.length, next.all.length);
      return new LineFilter(both, prefilter.stricter(next.prefilter));
    }

    /** What a line must hold to pass every predicate. */
    LinePrefilter prefilter() {
      return prefilter;
    }

    /** True when {@code line} passes every predicate. */
    boolean test(String line) {
      for (Predicate<String> p : all) {
        if (!p.test(line)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean process(Entry entry) {
      return test(entry.line);
    }

    @Override
    public boolean touchesLabels() {
      return false;
    }
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
    return RegexFilter.of(re);
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
