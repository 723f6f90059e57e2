package io.fjord.logql.eval;

import io.fjord.logql.ast.MatchType;
import io.fjord.logql.regex.Re2;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled label matcher on a value: {@code =}, {@code !=}, or a fully anchored RE2 regex with
 * fast paths for the common shapes ({@code .*}, {@code .+}, a literal, {@code a|b|c}). Immutable
 * and thread-safe (java.util.regex Matchers are created per call).
 */
interface StringMatcher {
  boolean matches(String value);

  static StringMatcher of(MatchType type, String value) {
    StringMatcher positive = switch (type) {
      case EQ, NEQ -> value::equals;
      case RE, NRE -> regex(value);
    };
    return type.isNegative() ? v -> !positive.matches(v) : positive;
  }

  private static StringMatcher regex(String re) {
    if (re.equals(".*")) {
      return v -> v.indexOf('\n') < 0;
    }
    if (re.equals(".+")) {
      return v -> !v.isEmpty() && v.indexOf('\n') < 0;
    }
    if (isLiteral(re)) {
      Set<String> alternatives = new HashSet<>(Arrays.asList(re.split("\\|", -1)));
      if (alternatives.size() == 1) {
        String only = alternatives.iterator().next();
        return only::equals;
      }
      return alternatives::contains;
    }
    Pattern p = Re2.compileAnchored(re);
    return v -> p.matcher(v).matches();
  }

  /** True for {@code abc} or {@code a|bc|d}: only plain characters and top-level bars. */
  private static boolean isLiteral(String re) {
    for (int i = 0; i < re.length(); i++) {
      if ("\\^$.[]()*+?{}".indexOf(re.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }
}
