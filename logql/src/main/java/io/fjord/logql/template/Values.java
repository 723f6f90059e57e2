package io.fjord.logql.template;

import java.math.BigDecimal;
import java.time.ZonedDateTime;

/** Go's value rules for templates: printing ({@code %v}), truthiness and conversions. Stateless. */
final class Values {
  private Values() {}

  static String print(Object v) {
    if (v == null) {
      return "<no value>";
    }
    if (v instanceof Double d) {
      return goFloat(d);
    }
    if (v instanceof ZonedDateTime t) {
      return GoTime.format(t, "2006-01-02 15:04:05.999999999 -0700 MST");
    }
    return v.toString();
  }

  static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof Long l) {
      return l != 0;
    }
    if (v instanceof Double d) {
      return d != 0;
    }
    return true;
  }

  /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}, which is what {@code %v} prints. */
  static String goFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return (1 / f < 0) ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    String sign = f < 0 ? "-" : "";
    if (exp < -4 || exp >= 6) {
      String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String e = String.format("%02d", Math.abs(exp));
      return sign + mant + "e" + (exp < 0 ? "-" : "+") + e;
    }
    return sign + bd.toPlainString();
  }

  static long toLong(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return (long) d.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        try {
          return (long) Double.parseDouble(s.trim());
        } catch (NumberFormatException e2) {
          return 0;
        }
      }
    }
    return 0;
  }

  static double toDouble(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  static String str(Object v) {
    return v == null ? "" : print(v);
  }
}
