package io.fjord.logql.regex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles Go/RE2 regular expressions, as LogQL writes them, onto {@link java.util.regex}: translates
 * {@code (?P<name>...)} named groups (Java forbids {@code _} in group names, so groups are renumbered
 * and their names kept in {@link Compiled#groupNames()}), POSIX classes {@code [[:alpha:]]}, a
 * literal {@code [} inside a class, and {@code $} (end of text in RE2 unless {@code (?m)}). Dot
 * excludes only {@code \n}, as in RE2. Errors read like Go's ({@code error parsing regexp: ...}).
 * Stateless, thread-safe.
 */
public final class Re2 {
  private static final Map<String, String> POSIX = Map.ofEntries(
      Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
      Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "0-9"),
      Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "a-z"), Map.entry("print", "\\p{Print}"),
      Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\t\\n\\x0B\\f\\r "), Map.entry("upper", "A-Z"),
      Map.entry("word", "\\w"), Map.entry("xdigit", "0-9A-Fa-f"));

  private Re2() {}

  /** A compiled expression and the name of each capture group (index 0 is group 1; null if unnamed). */
  public record Compiled(Pattern pattern, List<String> groupNames) {
    /** True when at least one group has a name. */
    public boolean hasNamedGroups() {
      return groupNames.stream().anyMatch(n -> n != null);
    }
  }

  /** Compiles an RE2 expression; throws {@link IllegalArgumentException} with a Go-like message. */
  public static Compiled compile(String re2) {
    List<String> names = new ArrayList<>();
    String java = translate(re2, names);
    try {
      return new Compiled(Pattern.compile(java, Pattern.UNIX_LINES), Collections.unmodifiableList(names));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(goMessage(re2, e), e);
    }
  }

  /** Compiles a fully anchored matcher pattern (use with {@code matcher.matches()}). */
  public static Pattern compileAnchored(String re2) {
    return compile(re2).pattern();
  }

  static String translate(String re, List<String> names) {
    boolean multiline = re.matches("(?s).*\\(\\?[a-zA-Z]*m[a-zA-Z]*[:)].*");
    StringBuilder out = new StringBuilder(re.length() + 8);
    int i = 0;
    int n = re.length();
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && re.charAt(i + 1) == 'Q') {
          int end = re.indexOf("\\E", i + 2);
          int stop = end < 0 ? n : end + 2;
          out.append(re, i, stop);
          i = stop;
          continue;
        }
        if (i + 1 < n && re.charAt(i + 1) == 'z') {
          out.append("\\z");
          i += 2;
          continue;
        }
        out.append(re, i, Math.min(i + 2, n));
        i += 2;
        continue;
      }
      if (c == '[') {
        i = translateClass(re, i, out);
        continue;
      }
      if (c == '(') {
        if (re.startsWith("(?P<", i) || (re.startsWith("(?<", i) && !re.startsWith("(?<=", i)
            && !re.startsWith("(?<!", i))) {
          int nameStart = re.indexOf('<', i) + 1;
          int nameEnd = re.indexOf('>', nameStart);
          if (nameEnd < 0) {
            throw new IllegalArgumentException("error parsing regexp: invalid named capture: `" + re.substring(i) + "`");
          }
          String name = re.substring(nameStart, nameEnd);
          if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException(
                "error parsing regexp: invalid named capture: `" + re.substring(i, nameEnd + 1) + "`");
          }
          names.add(name);
          out.append("(?<g").append(names.size()).append('>');
          i = nameEnd + 1;
          continue;
        }
        if (!re.startsWith("(?", i)) {
          names.add(null);
        }
        out.append(c);
        i++;
        continue;
      }
      if (c == '$' && !multiline) {
        out.append("\\z");
        i++;
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /** Copies the class starting at {@code start} ('['), RE2-style; returns the index after it. */
  private static int translateClass(String re, int start, StringBuilder out) {
    int i = start + 1;
    int n = re.length();
    out.append('[');
    if (i < n && re.charAt(i) == '^') {
      out.append('^');
      i++;
    }
    boolean first = true;
    while (i < n) {
      char c = re.charAt(i);
      if (c == ']' && !first) {
        out.append(']');
        return i + 1;
      }
      first = false;
      if (c == '\\' && i + 1 < n) {
        out.append(re, i, i + 2);
        i += 2;
      } else if (c == '[' && re.startsWith("[:", i)) {
        int end = re.indexOf(":]", i + 2);
        String name = end < 0 ? null : re.substring(i + 2, end);
        boolean negated = name != null && name.startsWith("^");
        String key = negated ? name.substring(1) : name;
        String cls = key == null ? null : POSIX.get(key);
        if (cls == null) {
          out.append("\\[");
          i++;
        } else {
          out.append(negated ? "[^" + cls + "]" : cls);
          i = end + 2;
        }
      } else if (c == '[') {
        out.append("\\[");
        i++;
      } else if (c == '&' && i + 1 < n && re.charAt(i + 1) == '&') {
        out.append("&\\&");
        i += 2;
      } else {
        out.append(c);
        i++;
      }
    }
    return i;
  }

  private static String goMessage(String re, PatternSyntaxException e) {
    String d = e.getDescription();
    String code;
    String fragment = re;
    if (d.startsWith("Unclosed group")) {
      code = "missing closing )";
    } else if (d.startsWith("Unmatched closing ')'")) {
      code = "unexpected )";
    } else if (d.startsWith("Unclosed character class")) {
      code = "missing closing ]";
      int b = re.lastIndexOf('[');
      fragment = b >= 0 ? re.substring(b) : re;
    } else if (d.startsWith("Dangling meta character")) {
      code = "missing argument to repetition operator";
      int idx = Math.max(0, Math.min(e.getIndex(), re.length() - 1));
      fragment = re.isEmpty() ? re : String.valueOf(re.charAt(idx));
    } else {
      code = d.toLowerCase(java.util.Locale.ROOT);
    }
    return "error parsing regexp: " + code + ": `" + fragment + "`";
  }
}
