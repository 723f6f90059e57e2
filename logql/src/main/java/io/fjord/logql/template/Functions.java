package io.fjord.logql.template;

import io.fjord.logql.regex.Re2;
import io.fjord.logql.units.ByteSizes;
import io.fjord.logql.units.GoDurations;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The functions LogQL templates may call (Loki's documented list plus Go's builtins), with
 * sprig's argument order (the subject last, so it can be piped). {@code trunc} and
 * {@code substr} count UTF-8 bytes as Loki does, and a split character becomes U+FFFD.
 * Stateless, thread-safe.
 */
final class Functions {
  private static final Set<String> NAMES = Set.of(
      "__line__", "__timestamp__", "lower", "upper", "ToLower", "ToUpper", "title", "trim", "TrimSpace",
      "trimAll", "trimPrefix", "trimSuffix", "TrimPrefix", "TrimSuffix", "replace", "substr", "trunc",
      "default", "contains", "hasPrefix", "hasSuffix", "repeat", "indent", "nindent", "b64enc", "b64dec",
      "urlencode", "urldecode", "alignLeft", "alignRight", "regexReplaceAll", "regexReplaceAllLiteral", "count",
      "int", "float64", "add", "sub", "mul", "div", "mod", "addf", "subf", "mulf", "divf", "max", "min", "maxf",
      "minf", "ceil", "floor", "round", "date", "unixEpoch", "unixEpochMillis", "unixEpochNanos", "unixToTime",
      "duration", "duration_seconds", "bytes", "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len",
      "print", "printf", "println");

  private Functions() {}

  static boolean exists(String name) {
    return NAMES.contains(name);
  }

  static Object call(String f, List<Object> a, Template.Context ctx) {
    switch (f) {
      case "__line__": return ctx.line();
      case "__timestamp__": return GoTime.ofNanos(ctx.timestampNanos());
      case "lower": case "ToLower": return s(a, 0).toLowerCase(java.util.Locale.ROOT);
      case "upper": case "ToUpper": return s(a, 0).toUpperCase(java.util.Locale.ROOT);
      case "title": return title(s(a, 0));
      case "trim": case "TrimSpace": return s(a, 0).strip();
      case "trimAll": return trimChars(s(a, 1), s(a, 0));
      case "trimPrefix": return trimPrefix(s(a, 1), s(a, 0));
      case "trimSuffix": return trimSuffix(s(a, 1), s(a, 0));
      case "TrimPrefix": return trimPrefix(s(a, 0), s(a, 1));
      case "TrimSuffix": return trimSuffix(s(a, 0), s(a, 1));
      case "replace": return s(a, 2).replace(s(a, 0), s(a, 1));
      case "substr": return substr((int) l(a, 0), (int) l(a, 1), s(a, 2));
      case "trunc": return trunc((int) l(a, 0), s(a, 1));
      case "default": return Values.truthy(a.size() > 1 ? a.get(1) : null) ? a.get(1) : a.get(0);
      case "contains": return s(a, 1).contains(s(a, 0));
      case "hasPrefix": return s(a, 1).startsWith(s(a, 0));
      case "hasSuffix": return s(a, 1).endsWith(s(a, 0));
      case "repeat": return s(a, 1).repeat(bounded(Math.max(0, l(a, 0)), s(a, 1).length(), "repeat count"));
      case "indent": return indent((int) l(a, 0), s(a, 1));
      case "nindent": return "\n" + indent((int) l(a, 0), s(a, 1));
      case "b64enc": return Base64.getEncoder().encodeToString(s(a, 0).getBytes(StandardCharsets.UTF_8));
      case "b64dec": return b64dec(s(a, 0));
      case "urlencode": return URLEncoder.encode(s(a, 0), StandardCharsets.UTF_8);
      case "urldecode": return URLDecoder.decode(s(a, 0), StandardCharsets.UTF_8);
      case "alignLeft": return align((int) l(a, 0), s(a, 1), true);
      case "alignRight": return align((int) l(a, 0), s(a, 1), false);
      case "regexReplaceAll": return Re2.compile(s(a, 0)).pattern().matcher(s(a, 1)).replaceAll(goExpand(s(a, 2)));
      case "regexReplaceAllLiteral":
        return Re2.compile(s(a, 0)).pattern().matcher(s(a, 1)).replaceAll(Matcher.quoteReplacement(s(a, 2)));
      case "count": return Re2.compile(s(a, 0)).pattern().matcher(s(a, 1)).results().count();
      case "int": return Values.toLong(a.get(0));
      case "float64": return Values.toDouble(a.get(0));
      case "add": return a.stream().mapToLong(Values::toLong).sum();
      case "mul": return a.stream().mapToLong(Values::toLong).reduce(1, (x, y) -> x * y);
      case "sub": return l(a, 0) - l(a, 1);
      case "div": return l(a, 0) / l(a, 1);
      case "mod": return l(a, 0) % l(a, 1);
      case "max": return a.stream().mapToLong(Values::toLong).max().orElse(0);
      case "min": return a.stream().mapToLong(Values::toLong).min().orElse(0);
      case "addf": return a.stream().mapToDouble(Values::toDouble).sum();
      case "mulf": return a.stream().mapToDouble(Values::toDouble).reduce(1, (x, y) -> x * y);
      case "subf": return a.stream().skip(1).mapToDouble(Values::toDouble).reduce(d(a, 0), (x, y) -> x - y);
      case "divf": return a.stream().skip(1).mapToDouble(Values::toDouble).reduce(d(a, 0), (x, y) -> x / y);
      case "maxf": return a.stream().mapToDouble(Values::toDouble).max().orElse(0);
      case "minf": return a.stream().mapToDouble(Values::toDouble).min().orElse(0);
      case "ceil": return Math.ceil(d(a, 0));
      case "floor": return Math.floor(d(a, 0));
      case "round": return round(d(a, 0), (int) l(a, 1), a.size() > 2 ? d(a, 2) : 0.5);
      case "date": return GoTime.format(time(a.get(1)), s(a, 0));
      case "unixEpoch": return Long.toString(time(a.get(0)).toEpochSecond());
      case "unixEpochMillis": return Long.toString(time(a.get(0)).toInstant().toEpochMilli());
      case "unixEpochNanos": {
        ZonedDateTime t = time(a.get(0));
        return Long.toString(t.toEpochSecond() * 1_000_000_000L + t.getNano());
      }
      case "unixToTime": return unixToTime(s(a, 0));
      case "duration": case "duration_seconds": return GoDurations.parseGo(s(a, 0)) / 1e9;
      case "bytes": return ByteSizes.parse(s(a, 0));
      case "and": return logical(a, true);
      case "or": return logical(a, false);
      case "not": return !Values.truthy(a.get(0));
      case "eq": return a.stream().skip(1).anyMatch(x -> same(a.get(0), x));
      case "ne": return !same(a.get(0), a.get(1));
      case "lt": return compare(a.get(0), a.get(1)) < 0;
      case "le": return compare(a.get(0), a.get(1)) <= 0;
      case "gt": return compare(a.get(0), a.get(1)) > 0;
      case "ge": return compare(a.get(0), a.get(1)) >= 0;
      case "len": return (long) s(a, 0).length();
      case "print": return printArgs(a);
      case "println": return printArgs(a) + "\n";
      case "printf": return printf(s(a, 0), a.subList(1, a.size()));
      default: throw new IllegalArgumentException("function \"" + f + "\" not defined");
    }
  }

  private static String s(List<Object> a, int i) {
    if (i >= a.size()) {
      throw new IllegalArgumentException("wrong number of args: want at least " + (i + 1) + " got " + a.size());
    }
    return Values.str(a.get(i));
  }

  private static long l(List<Object> a, int i) {
    if (i >= a.size()) {
      throw new IllegalArgumentException("wrong number of args: want at least " + (i + 1) + " got " + a.size());
    }
    return Values.toLong(a.get(i));
  }

  private static double d(List<Object> a, int i) {
    if (i >= a.size()) {
      throw new IllegalArgumentException("wrong number of args: want at least " + (i + 1) + " got " + a.size());
    }
    return Values.toDouble(a.get(i));
  }

  private static ZonedDateTime time(Object v) {
    if (v instanceof ZonedDateTime t) {
      return t;
    }
    throw new IllegalArgumentException("not a time value: " + Values.str(v));
  }

  private static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean prevSeparator = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(prevSeparator ? Character.toTitleCase(c) : c);
      prevSeparator = !(Character.isLetterOrDigit(c) || c == '_');
    }
    return sb.toString();
  }

  private static String trimChars(String s, String cut) {
    int b = 0;
    int e = s.length();
    while (b < e && cut.indexOf(s.charAt(b)) >= 0) {
      b++;
    }
    while (e > b && cut.indexOf(s.charAt(e - 1)) >= 0) {
      e--;
    }
    return s.substring(b, e);
  }

  private static String trimPrefix(String s, String p) {
    return s.startsWith(p) ? s.substring(p.length()) : s;
  }

  private static String trimSuffix(String s, String p) {
    return s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
  }

  /** sprig's trunc on UTF-8 bytes: n >= 0 keeps the first n bytes, n < 0 the last -n. */
  static String trunc(int n, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (n < 0 && b.length + n > 0) {
      return goString(b, b.length + n, b.length);
    }
    if (n >= 0 && b.length > n) {
      return goString(b, 0, n);
    }
    return s;
  }

  /** sprig's substr on UTF-8 bytes. */
  static String substr(int start, int end, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (start < 0) {
      return goString(b, 0, Math.max(0, Math.min(end, b.length)));
    }
    if (end < 0 || end > b.length) {
      return start > b.length ? "" : goString(b, start, b.length);
    }
    return start > end ? "" : goString(b, start, end);
  }

  /** Decodes UTF-8 as Go does when it prints: each byte of a broken sequence becomes U+FFFD. */
  static String goString(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      int len = c < 0x80 ? 1 : c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : -1;
      if (len < 0 || i + len > to || !continuation(b, i + 1, i + len)) {
        sb.append('\uFFFD');
        i++;
        continue;
      }
      sb.append(new String(b, i, len, StandardCharsets.UTF_8));
      i += len;
    }
    return sb.toString();
  }

  private static boolean continuation(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if ((b[i] & 0xc0) != 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String indent(int n, String s) {
    String pad = " ".repeat(bounded(Math.max(0, n), 1 + s.chars().filter(ch -> ch == '\n').count(), "indent"));
    return pad + s.replace("\n", "\n" + pad);
  }

  private static String b64dec(String s) {
    try {
      return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String align(int n, String s, boolean left) {
    bounded(n, 1, "alignment width");
    int len = s.codePointCount(0, s.length());
    if (n <= 0) {
      return "";
    }
    if (len >= n) {
      return left ? s.substring(0, s.offsetByCodePoints(0, n)) : s.substring(s.offsetByCodePoints(0, len - n));
    }
    String pad = " ".repeat(n - len);
    return left ? s + pad : pad + s;
  }

  /** Go's Expand syntax ({@code $1}, {@code ${1}}, {@code ${name}}, {@code $$}) as a Java replacement. */
  static String goExpand(String repl) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < repl.length(); i++) {
      char c = repl.charAt(i);
      if (c == '\\') {
        sb.append("\\\\");
      } else if (c == '$') {
        if (i + 1 < repl.length() && repl.charAt(i + 1) == '$') {
          sb.append("\\$");
          i++;
        } else if (i + 1 < repl.length() && repl.charAt(i + 1) == '{') {
          int close = repl.indexOf('}', i);
          String name = close < 0 ? "" : repl.substring(i + 2, close);
          sb.append(name.matches("[0-9]+") ? "$" + name : "");
          i = close < 0 ? repl.length() : close;
        } else {
          int j = i + 1;
          while (j < repl.length() && Character.isDigit(repl.charAt(j))) {
            j++;
          }
          if (j > i + 1 && (j == repl.length() || !Character.isLetter(repl.charAt(j)) && repl.charAt(j) != '_')) {
            sb.append('$').append(repl, i + 1, j);
          }
          while (j < repl.length() && (Character.isLetterOrDigit(repl.charAt(j)) || repl.charAt(j) == '_')) {
            j++;
          }
          i = j - 1;
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static double round(double v, int places, double roundOn) {
    double pow = Math.pow(10, places);
    double digit = pow * v;
    double floor = Math.floor(digit);
    double rounded = digit - floor >= roundOn ? Math.ceil(digit) : floor;
    return rounded / pow;
  }

  private static ZonedDateTime unixToTime(String s) {
    long v = Long.parseLong(s.trim());
    int digits = Long.toString(Math.abs(v)).length();
    long nanos;
    if (digits <= 5) {
      nanos = v * 86_400_000_000_000L;
    } else if (digits <= 10) {
      nanos = v * 1_000_000_000L;
    } else if (digits <= 13) {
      nanos = v * 1_000_000L;
    } else if (digits <= 16) {
      nanos = v * 1_000L;
    } else {
      nanos = v;
    }
    return GoTime.ofNanos(nanos);
  }

  private static Object logical(List<Object> a, boolean and) {
    Object last = null;
    for (Object o : a) {
      last = o;
      if (Values.truthy(o) != and) {
        return o;
      }
    }
    return last;
  }

  private static boolean same(Object x, Object y) {
    if (x instanceof Number && y instanceof Number) {
      return Values.toDouble(x) == Values.toDouble(y);
    }
    return Objects.equals(x == null ? null : Values.str(x), y == null ? null : Values.str(y));
  }

  private static int compare(Object x, Object y) {
    if (x instanceof Number && y instanceof Number) {
      return Double.compare(Values.toDouble(x), Values.toDouble(y));
    }
    return Values.str(x).compareTo(Values.str(y));
  }

  private static String printArgs(List<Object> a) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.size(); i++) {
      boolean str = a.get(i) instanceof String;
      if (i > 0 && !str && !(a.get(i - 1) instanceof String)) {
        sb.append(' ');
      }
      sb.append(Values.print(a.get(i)));
    }
    return sb.toString();
  }

  /**
   * The most bytes one function may produce. Go grows its heap for {@code printf "%0999999999d"} or
   * {@code repeat 1e9}; a shared JVM must not, so such an entry fails with TemplateFormatErr instead.
   */
  static final long MAX_OUTPUT = 1 << 20;

  /** {@code count}, after checking that {@code count * unit} stays within {@link #MAX_OUTPUT}. */
  static int bounded(long count, long unit, String what) {
    if (count > MAX_OUTPUT || count * Math.max(1, unit) > MAX_OUTPUT) {
      throw new IllegalArgumentException(what + " " + count + " would exceed the template output limit of "
          + MAX_OUTPUT + " bytes");
    }
    return (int) count;
  }

  /** Go's printf for the common verbs ({@code %s %v %d %f %q %x} with flags, width, precision). */
  static String printf(String format, List<Object> args) {
    StringBuilder sb = new StringBuilder();
    int arg = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c != '%') {
        sb.append(c);
        i++;
        continue;
      }
      int j = i + 1;
      while (j < format.length() && "+-# 0123456789.".indexOf(format.charAt(j)) >= 0) {
        j++;
      }
      if (j >= format.length()) {
        sb.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(j);
      String spec = format.substring(i + 1, j);
      for (String number : spec.split("[^0-9]+")) {
        if (!number.isEmpty()) {
          bounded(number.length() > 9 ? Long.MAX_VALUE : Long.parseLong(number), 1, "printf width or precision");
        }
      }
      i = j + 1;
      if (verb == '%') {
        sb.append('%');
        continue;
      }
      if (arg >= args.size()) {
        sb.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object v = args.get(arg++);
      switch (verb) {
        case 'd' -> sb.append(String.format("%" + spec + "d", Values.toLong(v)));
        case 'f', 'e', 'g' -> sb.append(String.format("%" + (spec.contains(".") || verb != 'f' ? spec : spec + ".6")
            + verb, Values.toDouble(v)));
        case 'x', 'X' -> sb.append(v instanceof Number ? String.format("%" + spec + verb, Values.toLong(v))
            : String.format("%" + spec + "s", hex(Values.str(v), verb == 'X')));
        case 'q' -> {
          StringBuilder q = new StringBuilder();
          io.fjord.schemas.labels.Labels.quote(Values.str(v), q);
          sb.append(String.format("%" + spec + "s", q));
        }
        default -> sb.append(String.format("%" + spec + "s", Values.print(v)));
      }
    }
    return sb.toString();
  }

  private static String hex(String s, boolean upper) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      sb.append(String.format(upper ? "%02X" : "%02x", b & 0xff));
    }
    return sb.toString();
  }
}
