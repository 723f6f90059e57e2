package io.fjord.logql.eval;

import io.fjord.logql.ast.ComparisonOp;
import io.fjord.logql.ast.LabelFilter;
import io.fjord.logql.units.ByteSizes;
import io.fjord.logql.units.GoDurations;

/**
 * Compiles label filters into predicates on an {@link Entry}, with Loki's semantics: string
 * matchers see a missing label as "" (their regexes are unanchored, see {@link #matcher});
 * typed filters (number, duration, bytes, ip) drop an entry that lacks the label, and when the
 * value does not convert keep the entry with {@code __error__="LabelFilterErr"} and the
 * conversion error in {@code __error_details__} (an entry already in error is judged normally). Stateless; the predicates are immutable and thread-safe.
 */
final class LabelFilters {
  static final String LABEL_FILTER_ERR = "LabelFilterErr";

  private LabelFilters() {}

  /** A predicate on the entry; it may set the error labels. */
  interface Predicate {
    boolean test(Entry e);
  }

  static Stage stage(LabelFilter filter) {
    Predicate p = compile(filter);
    return p::test;
  }

  static Predicate compile(LabelFilter f) {
    if (f instanceof LabelFilter.Matcher m) {
      String name = m.matcher().name();
      StringMatcher sm = matcher(m.matcher().type(), m.matcher().value());
      return e -> {
        String v = e.get(name);
        return sm.matches(v == null ? "" : v);
      };
    }
    if (f instanceof LabelFilter.Binary b) {
      Predicate l = compile(b.left());
      Predicate r = compile(b.right());
      return b.and() ? e -> l.test(e) && r.test(e) : e -> l.test(e) || r.test(e);
    }
    if (f instanceof LabelFilter.Numeric n) {
      return typed(n.name(), n.op(), n.value(), LabelFilters::parseFloat);
    }
    if (f instanceof LabelFilter.Duration d) {
      return typed(d.name(), d.op(), d.nanos(), v -> GoDurations.parseGo(v));
    }
    if (f instanceof LabelFilter.Bytes b) {
      return typed(b.name(), b.op(), b.bytes(), v -> ByteSizes.parse(v));
    }
    LabelFilter.Ip ip = (LabelFilter.Ip) f;
    IpMatcher matcher = IpMatcher.of(ip.pattern());
    String name = ip.name();
    return e -> {
      String v = e.get(name);
      if (v == null) {
        return false;
      }
      return matcher.matchesValue(v) != ip.negated();
    };
  }

  /**
   * A string label filter. Unlike stream selectors, Loki v3 evaluates label filter regexes with its
   * line-filter machinery, unanchored: {@code | trace_id=~"ff.*"} keeps a trace id containing
   * "ff" anywhere (observed in Loki 3.7.6's recorded answers).
   */
  private static StringMatcher matcher(io.fjord.logql.ast.MatchType type, String value) {
    if (!type.isRegex()) {
      return StringMatcher.of(type, value);
    }
    java.util.function.Predicate<String> find = RegexFilter.of(value);
    boolean negated = type.isNegative();
    return v -> find.test(v) != negated;
  }

  /** Converts a label value to a number, throwing {@link IllegalArgumentException} with Go's text. */
  interface Converter {
    double convert(String value);
  }

  private static Predicate typed(String name, ComparisonOp op, double literal, Converter conv) {
    return e -> {
      String v = e.get(name);
      if (v == null) {
        return false;
      }
      double value;
      try {
        value = conv.convert(v);
      } catch (IllegalArgumentException ex) {
        e.setError(LABEL_FILTER_ERR, ex.getMessage());
        return true;
      }
      return op.test(value, literal);
    };
  }

  /** Go's {@code strconv.ParseFloat(v, 64)} for decimal input, with its error text. */
  static double parseFloat(String v) {
    int n = v.length();
    if (n > 0 && n <= 15) { // plain digits (a status, a count): exact as a double below 10^15 < 2^53
      long x = 0;
      int i = 0;
      for (; i < n; i++) {
        char c = v.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        x = x * 10 + (c - '0');
      }
      if (i == n) {
        return x;
      }
    }
    String s = v;
    try {
      if (s.isEmpty() || s.endsWith("d") || s.endsWith("D") || s.endsWith("f") || s.endsWith("F")
          || s.startsWith("0x") || s.startsWith("0X") || s.indexOf(' ') >= 0) {
        throw new NumberFormatException();
      }
      switch (s.toLowerCase(java.util.Locale.ROOT)) {
        case "inf", "+inf", "infinity", "+infinity":
          return Double.POSITIVE_INFINITY;
        case "-inf", "-infinity":
          return Double.NEGATIVE_INFINITY;
        case "nan":
          return Double.NaN;
        default:
          if (!Character.isDigit(s.charAt(s.length() - 1)) && s.charAt(s.length() - 1) != '.') {
            throw new NumberFormatException();
          }
          return Double.parseDouble(s.replace("_", ""));
      }
    } catch (NumberFormatException e) {
      StringBuilder sb = new StringBuilder("strconv.ParseFloat: parsing ");
      io.fjord.schemas.labels.Labels.quote(v, sb);
      throw new IllegalArgumentException(sb.append(": invalid syntax").toString());
    }
  }
}
