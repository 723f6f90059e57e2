package io.fjord.logql.eval;

import io.fjord.logql.regex.Re2;
import io.fjord.logql.regex.RegexLiterals;
import io.fjord.logql.regex.RegexLiterals.Analysis;
import io.fjord.logql.regex.RegexLiterals.Branch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An unanchored RE2 regex search ({@code |~}, and label filters' {@code =~}, which Loki v3 also
 * runs unanchored) that avoids java.util.regex where literals decide (see {@link RegexLiterals}):
 * a literal alternation ({@code a|b}, {@code (?i)(error|fatal)}) becomes substring searches; an
 * alternation with a literal alternative and others that need literals ({@code needle|upstream
 * timeout [0-9]}) answers yes on the literal, no when no needed literal is present, and runs the
 * regex only on the remaining lines. Same answers as {@code pattern.matcher(s).find()} (a property
 * test holds them equal). Throws {@link IllegalArgumentException} for an invalid regex. Stateless;
 * the predicates are immutable and thread-safe.
 */
final class RegexFilter {
  private RegexFilter() {}

  static Predicate<String> of(String re2) {
    Pattern pattern = Re2.compile(re2).pattern();
    Analysis a = RegexLiterals.analyse(re2);
    Predicate<String> regex = s -> pattern.matcher(s).find();
    if (a == null) {
      return regex;
    }
    List<String> exact = new ArrayList<>();
    List<String> needed = new ArrayList<>();
    for (Branch b : a.branches()) {
      if (b.exact()) {
        if (b.literal().isEmpty()) {
          return s -> true; // an empty alternative matches every text
        }
        exact.add(b.literal());
      } else if (b.literal().isEmpty()) {
        return regex; // an alternative needs no literal: every line must see the regex
      } else {
        needed.add(b.literal());
      }
    }
    Predicate<String> sure = anyOf(exact, a.caseInsensitive());
    if (needed.isEmpty()) {
      return sure;
    }
    Predicate<String> maybe = anyOf(needed, a.caseInsensitive());
    if (sure == null) {
      return s -> maybe.test(s) && regex.test(s);
    }
    return s -> sure.test(s) || maybe.test(s) && regex.test(s);
  }

  /** Contains any of {@code literals} (none: null). */
  static Predicate<String> anyOf(List<String> literals, boolean caseInsensitive) {
    if (literals.isEmpty()) {
      return null;
    }
    if (caseInsensitive) {
      FoldedLiteral[] folded = new FoldedLiteral[literals.size()];
      for (int i = 0; i < folded.length; i++) {
        folded[i] = new FoldedLiteral(literals.get(i));
      }
      if (folded.length == 1) {
        FoldedLiteral only = folded[0];
        return only::in;
      }
      return s -> {
        for (FoldedLiteral f : folded) {
          if (f.in(s)) {
            return true;
          }
        }
        return false;
      };
    }
    if (literals.size() == 1) {
      String only = literals.get(0);
      return s -> s.contains(only);
    }
    String[] all = literals.toArray(new String[0]);
    return s -> {
      for (String l : all) {
        if (s.contains(l)) {
          return true;
        }
      }
      return false;
    };
  }
}
