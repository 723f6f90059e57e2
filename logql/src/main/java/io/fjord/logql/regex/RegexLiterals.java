package io.fjord.logql.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the literal text an unanchored regex needs, so that a filter can decide most lines with a
 * substring search and run the regex only on lines that hold a required literal. The regex is
 * split into its top-level alternatives ({@code a|b}); each gives either its whole text, when it is
 * nothing but literal characters ({@link Branch#exact()}: a line matches that alternative exactly
 * when it contains the text), or the longest run of literal characters every match of it must
 * contain ({@code upstream timeout } in {@code upstream timeout [0-9]}; empty when there is none).
 * A leading {@code (?i)} makes every literal ASCII-case-insensitive ({@link Analysis#caseInsensitive()}),
 * as java.util.regex reads {@code (?i)} without the UNICODE_CASE flag; a regex that is one group
 * is read as its content ({@code (?i)(error|fatal)}).
 *
 * <p>The analysis is conservative: anything it does not fully understand (other flags, {@code \Q},
 * {@code \x}, {@code \p}, back references, unbalanced text) gives no analysis ({@code null}), never
 * a wrong one; a quantifier drops the character it applies to; groups, classes, {@code .} and
 * assertions end a run. Call it only on a regex that {@link Re2#compile} accepted. Stateless,
 * thread-safe.
 */
public final class RegexLiterals {
  private RegexLiterals() {}

  /**
   * One top-level alternative: {@code exact} when the alternative is {@code literal} itself;
   * otherwise {@code literal} is a substring every match of it contains ("" when none is known).
   */
  public record Branch(String literal, boolean exact) {}

  /** The alternatives of a regex, and whether their literals compare ASCII-case-insensitively. */
  public record Analysis(List<Branch> branches, boolean caseInsensitive) {
    /** True when every alternative is exact: the regex is a (case-insensitive) literal alternation. */
    public boolean allExact() {
      for (Branch b : branches) {
        if (!b.exact()) {
          return false;
        }
      }
      return true;
    }
  }

  /** Thrown inside the analysis for a construct it does not read. */
  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  /** The analysis of {@code re2}, or null when it cannot be analysed safely. */
  public static Analysis analyse(String re2) {
    boolean ci = false;
    String s = re2;
    if (s.startsWith("(?i)")) {
      ci = true;
      s = s.substring(4);
    }
    try {
      s = unwrapGroup(s);
      List<Branch> branches = new ArrayList<>();
      int start = 0;
      int i = 0;
      int n = s.length();
      while (i <= n) {
        if (i == n || s.charAt(i) == '|') {
          branches.add(branch(s, start, i));
          start = i + 1;
          i++;
          continue;
        }
        i = skipAtom(s, i);
      }
      return new Analysis(List.copyOf(branches), ci);
    } catch (Unsupported | IndexOutOfBoundsException e) {
      return null;
    }
  }

  /** {@code (X)} or {@code (?:X)} spanning the whole text gives X; anything else is returned as is. */
  private static String unwrapGroup(String s) {
    while (true) {
      int open;
      if (s.startsWith("(?:")) {
        open = 3;
      } else if (s.startsWith("(") && !s.startsWith("(?")) {
        open = 1;
      } else {
        return s;
      }
      if (groupEnd(s, 0) != s.length()) {
        return s;
      }
      s = s.substring(open, s.length() - 1);
    }
  }

  /** Index just past the atom starting at {@code i} (top-level '|' is never passed here). */
  private static int skipAtom(String s, int i) {
    char c = s.charAt(i);
    if (c == '\\') {
      escape(s, i);
      return i + 2;
    }
    if (c == '[') {
      return classEnd(s, i);
    }
    if (c == '(') {
      return groupEnd(s, i);
    }
    if (c == ')') {
      throw new Unsupported();
    }
    if (c == '{') {
      return quantifierEnd(s, i);
    }
    return i + 1;
  }

  /** Reads the branch {@code s[from, to)}. */
  private static Branch branch(String s, int from, int to) {
    StringBuilder run = new StringBuilder();
    String best = "";
    boolean exact = true;
    boolean prevLiteral = false;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '*' || c == '+' || c == '?' || c == '{') {
        // a quantifier makes the atom before it optional or repeated: drop it from the run
        exact = false;
        if (prevLiteral) {
          int len = run.length();
          boolean pair = len > 1 && Character.isLowSurrogate(run.charAt(len - 1))
              && Character.isHighSurrogate(run.charAt(len - 2));
          run.setLength(len - (pair ? 2 : 1));
        }
        best = longer(best, run);
        run.setLength(0);
        i = c == '{' ? quantifierEnd(s, i) : i + 1;
        while (i < to && (s.charAt(i) == '?' || s.charAt(i) == '+')) {
          i++;
        }
        prevLiteral = false;
        continue;
      }
      int literal = -1;
      int next;
      if (c == '\\') {
        literal = escape(s, i);
        next = i + 2;
      } else if (c == '[') {
        next = classEnd(s, i);
      } else if (c == '(') {
        next = groupEnd(s, i);
      } else if (c == ')') {
        throw new Unsupported();
      } else if (c == '.' || c == '^' || c == '$') {
        next = i + 1;
      } else {
        literal = c;
        next = i + 1;
      }
      if (literal >= 0) {
        run.append((char) literal);
        prevLiteral = true;
      } else {
        exact = false;
        best = longer(best, run);
        run.setLength(0);
        prevLiteral = false;
      }
      i = next;
    }
    if (exact) {
      return new Branch(run.toString(), true);
    }
    return new Branch(longer(best, run), false);
  }

  private static String longer(String best, StringBuilder run) {
    return run.length() > best.length() ? run.toString() : best;
  }

  /**
   * The literal character of the escape at {@code i} ({@code \.} is '.'), or -1 for an escape that
   * is a class or an assertion ({@code \d}, {@code \b}); throws for escapes not read here.
   */
  private static int escape(String s, int i) {
    char e = s.charAt(i + 1);
    if (e < 128 && !Character.isLetterOrDigit(e)) {
      return e;
    }
    return switch (e) {
      case 'n' -> '\n';
      case 't' -> '\t';
      case 'r' -> '\r';
      case 'f' -> '\f';
      case 'd', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'A', 'z' -> -1;
      default -> throw new Unsupported();
    };
  }

  /** Index just past the character class starting at {@code i} ('['), RE2's rules. */
  private static int classEnd(String s, int i) {
    int j = i + 1;
    if (j < s.length() && s.charAt(j) == '^') {
      j++;
    }
    if (j < s.length() && s.charAt(j) == ']') {
      j++;
    }
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == '[' && s.startsWith("[:", j)) {
        int end = s.indexOf(":]", j + 2);
        j = end < 0 ? j + 1 : end + 2;
      } else if (c == ']') {
        return j + 1;
      } else {
        j++;
      }
    }
    throw new Unsupported();
  }

  /**
   * Index just past the group starting at {@code i} ('('); flag groups without a body
   * ({@code (?s)}) change how the rest reads and are not supported.
   */
  private static int groupEnd(String s, int i) {
    if (s.startsWith("(?", i)) {
      int j = i + 2;
      while (j < s.length() && Character.isLetter(s.charAt(j)) || j < s.length() && s.charAt(j) == '-') {
        j++;
      }
      if (j < s.length() && s.charAt(j) == ')') {
        throw new Unsupported();
      }
    }
    int depth = 0;
    int j = i;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\') {
        if (j + 1 < s.length() && s.charAt(j + 1) == 'Q') {
          throw new Unsupported();
        }
        j += 2;
      } else if (c == '[') {
        j = classEnd(s, j);
      } else if (c == '(') {
        depth++;
        j++;
      } else if (c == ')') {
        depth--;
        j++;
        if (depth == 0) {
          return j;
        }
      } else {
        j++;
      }
    }
    throw new Unsupported();
  }

  /** Index just past a {@code {n}}, {@code {n,}} or {@code {n,m}} quantifier at {@code i}. */
  private static int quantifierEnd(String s, int i) {
    int end = s.indexOf('}', i);
    if (end < 0) {
      throw new Unsupported();
    }
    for (int j = i + 1; j < end; j++) {
      char c = s.charAt(j);
      if ((c < '0' || c > '9') && c != ',') {
        throw new Unsupported();
      }
    }
    return end + 1;
  }
}
