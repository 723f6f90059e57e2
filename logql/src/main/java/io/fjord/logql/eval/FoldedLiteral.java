package io.fjord.logql.eval;

/**
 * An ASCII-case-insensitive substring search, as java.util.regex matches a literal under
 * {@code (?i)} without UNICODE_CASE: ASCII letters match either case, every other character only
 * itself. It finds candidates with {@link String#indexOf(int, int)} (an intrinsic) on one anchor
 * character of the literal, the rarest in English text, or one that has no case, and compares the
 * rest in place: no allocation per line. Immutable and thread-safe.
 */
final class FoldedLiteral {
  /** Letters from the least to the most frequent in English text. */
  private static final String RARITY = "qjzxkvbpygfwmucldrhsnioate";

  private final char[] lower;
  private final int anchor;
  private final char anchorLower;
  private final char anchorUpper;

  FoldedLiteral(String literal) {
    if (literal.isEmpty()) {
      throw new IllegalArgumentException("empty literal");
    }
    lower = new char[literal.length()];
    for (int i = 0; i < lower.length; i++) {
      lower[i] = toLower(literal.charAt(i));
    }
    anchor = pickAnchor(lower);
    anchorLower = lower[anchor];
    anchorUpper = isLower(anchorLower) ? (char) (anchorLower - 32) : anchorLower;
  }

  private static int pickAnchor(char[] lower) {
    int best = 0;
    int bestRank = Integer.MAX_VALUE;
    for (int i = 0; i < lower.length; i++) {
      int rank = isLower(lower[i]) ? RARITY.indexOf(lower[i]) : -1; // caseless: one search
      if (rank < bestRank) {
        best = i;
        bestRank = rank;
      }
    }
    return best;
  }

  boolean in(String s) {
    int n = lower.length;
    int last = s.length() - n; // last possible start
    if (last < 0) {
      return false;
    }
    if (anchorLower == anchorUpper) {
      int from = anchor;
      while (true) {
        int at = s.indexOf(anchorLower, from);
        if (at < 0 || at - anchor > last) {
          return false;
        }
        if (matchesAt(s, at - anchor)) {
          return true;
        }
        from = at + 1;
      }
    }
    int lo = s.indexOf(anchorLower, anchor);
    int up = s.indexOf(anchorUpper, anchor);
    while (lo >= 0 || up >= 0) {
      int at;
      if (up < 0 || lo >= 0 && lo < up) {
        at = lo;
        lo = s.indexOf(anchorLower, at + 1);
      } else {
        at = up;
        up = s.indexOf(anchorUpper, at + 1);
      }
      if (at - anchor > last) {
        return false;
      }
      if (matchesAt(s, at - anchor)) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesAt(String s, int start) {
    char[] l = lower;
    for (int i = 0; i < l.length; i++) {
      char c = s.charAt(start + i);
      if (c != l[i] && (c < 'A' || c > 'Z' || c + 32 != l[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static char toLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }
}
