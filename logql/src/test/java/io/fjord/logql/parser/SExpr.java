package io.fjord.logql.parser;

import io.fjord.logql.ast.BinaryOpExpr;
import io.fjord.logql.ast.DecolorizeStage;
import io.fjord.logql.ast.DropLabelsStage;
import io.fjord.logql.ast.Expr;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.JsonParserStage;
import io.fjord.logql.ast.KeepLabelsStage;
import io.fjord.logql.ast.LabelExtraction;
import io.fjord.logql.ast.LabelFilter;
import io.fjord.logql.ast.LabelFilterStage;
import io.fjord.logql.ast.LabelFormatStage;
import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.ast.LabelName;
import io.fjord.logql.ast.LabelReplaceExpr;
import io.fjord.logql.ast.LineFilterStage;
import io.fjord.logql.ast.LineFilterValue;
import io.fjord.logql.ast.LineFormatStage;
import io.fjord.logql.ast.LiteralExpr;
import io.fjord.logql.ast.LogRange;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.LogfmtParserStage;
import io.fjord.logql.ast.PatternParserStage;
import io.fjord.logql.ast.PipelineStage;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.ast.RegexpParserStage;
import io.fjord.logql.ast.UnpackParserStage;
import io.fjord.logql.ast.Unwrap;
import io.fjord.logql.ast.UnwrapConversion;
import io.fjord.logql.ast.VectorAggregationExpr;
import io.fjord.logql.ast.VectorExpr;
import io.fjord.logql.ast.VectorMatching;
import java.math.BigDecimal;
import java.util.List;

/**
 * Test-only: renders an AST as a compact S-expression, the form in which parser-table.txt writes
 * its expected trees by hand. Every node kind has one fixed shape, so the table states what the
 * parser must build without going through the production {@code Printer}:
 *
 * <pre>
 * (log ((= app "a") (=~ env "p.*")) STAGE...)    a log query: matchers, then pipeline stages
 * (|= "a" "b") (!= (ip "10.0.0.1"))              a line filter; several values were joined by or
 * (filter F)                                     a label filter stage; F is one of
 *   (= name "v") (> n 1.5) (> d (dur 90s)) (> s (bytes 20000)) (= a (ip "::1")) (and F F) (or F F)
 * (json) (json (a "x.y")) (logfmt --strict --keep-empty (a "a")) (regexp "re") (pattern "p") (unpack)
 * (line_format "t") (label_format (rename dst src) (template dst "t")) (drop a (= b "v")) (keep a)
 * (decolorize)
 * (count_over_time [param] (range 300s LOG [(unwrap [conv] label F...)] [(offset 60s)]) [(by a b)])
 * (sum [k] [(by a)|(without a)] INNER)  (+ [bool] [(on a)|(ignoring a)] [(group_left c)] L R)
 * 1.5  (vector 1)  (label_replace INNER "dst" "repl" "src" "re")
 * </pre>
 *
 * Numbers print without trailing zeros, durations as seconds, byte sizes as a byte count. Stateless.
 */
final class SExpr {
  private SExpr() {}

  static String of(Expr e) {
    StringBuilder sb = new StringBuilder();
    expr(e, sb);
    return sb.toString();
  }

  private static void expr(Expr e, StringBuilder sb) {
    if (e instanceof LogSelectorExpr s) {
      log(s, sb);
    } else if (e instanceof LiteralExpr l) {
      sb.append(number(l.value()));
    } else if (e instanceof VectorExpr v) {
      sb.append("(vector ").append(number(v.value())).append(')');
    } else if (e instanceof RangeAggregationExpr r) {
      sb.append('(').append(r.op().lokiName());
      r.parameter().ifPresent(p -> sb.append(' ').append(number(p)));
      sb.append(' ');
      range(r.range(), sb);
      r.grouping().ifPresent(g -> grouping(g, sb));
      sb.append(')');
    } else if (e instanceof VectorAggregationExpr v) {
      sb.append('(').append(v.op().lokiName());
      v.parameter().ifPresent(p -> sb.append(' ').append(p));
      v.grouping().ifPresent(g -> grouping(g, sb));
      sb.append(' ');
      expr(v.inner(), sb);
      sb.append(')');
    } else if (e instanceof BinaryOpExpr b) {
      sb.append('(').append(b.op().symbol());
      if (b.returnBool()) {
        sb.append(" bool");
      }
      b.matching().ifPresent(m -> matching(m, sb));
      sb.append(' ');
      expr(b.lhs(), sb);
      sb.append(' ');
      expr(b.rhs(), sb);
      sb.append(')');
    } else if (e instanceof LabelReplaceExpr l) {
      sb.append("(label_replace ");
      expr(l.inner(), sb);
      for (String s : List.of(l.destination(), l.replacement(), l.source(), l.regex())) {
        sb.append(' ');
        quote(s, sb);
      }
      sb.append(')');
    }
  }

  private static void matching(VectorMatching m, StringBuilder sb) {
    sb.append(m.on() ? " (on" : " (ignoring");
    m.labels().forEach(l -> sb.append(' ').append(l));
    sb.append(')');
    if (m.cardinality() != VectorMatching.Cardinality.ONE_TO_ONE) {
      sb.append(m.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE ? " (group_left" : " (group_right");
      m.include().forEach(l -> sb.append(' ').append(l));
      sb.append(')');
    }
  }

  private static void grouping(Grouping g, StringBuilder sb) {
    sb.append(g.without() ? " (without" : " (by");
    g.labels().forEach(l -> sb.append(' ').append(l));
    sb.append(')');
  }

  private static void range(LogRange r, StringBuilder sb) {
    sb.append("(range ").append(seconds(r.range().toNanos())).append(' ');
    log(r.selector(), sb);
    r.unwrap().ifPresent(u -> unwrap(u, sb));
    if (!r.offset().isZero()) {
      sb.append(" (offset ").append(seconds(r.offset().toNanos())).append(')');
    }
    sb.append(')');
  }

  private static void unwrap(Unwrap u, StringBuilder sb) {
    sb.append(" (unwrap ");
    if (u.conversion() != UnwrapConversion.NONE) {
      sb.append(u.conversion().function()).append(' ');
    }
    sb.append(u.label());
    for (LabelFilter f : u.postFilters()) {
      sb.append(' ');
      filter(f, sb);
    }
    sb.append(')');
  }

  private static void log(LogSelectorExpr s, StringBuilder sb) {
    sb.append("(log (");
    for (int i = 0; i < s.matchers().size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      matcher(s.matchers().get(i), sb);
    }
    sb.append(')');
    for (PipelineStage st : s.pipeline()) {
      sb.append(' ');
      stage(st, sb);
    }
    sb.append(')');
  }

  private static void matcher(LabelMatcher m, StringBuilder sb) {
    sb.append('(').append(m.type().symbol()).append(' ').append(m.name()).append(' ');
    quote(m.value(), sb);
    sb.append(')');
  }

  private static void stage(PipelineStage st, StringBuilder sb) {
    if (st instanceof LineFilterStage lf) {
      sb.append('(').append(lf.op().symbol());
      for (LineFilterValue v : lf.values()) {
        sb.append(' ');
        if (v.ip()) {
          sb.append("(ip ");
          quote(v.value(), sb);
          sb.append(')');
        } else {
          quote(v.value(), sb);
        }
      }
      sb.append(')');
    } else if (st instanceof LabelFilterStage l) {
      sb.append("(filter ");
      filter(l.filter(), sb);
      sb.append(')');
    } else if (st instanceof JsonParserStage j) {
      sb.append("(json");
      extractions(j.extractions(), sb);
      sb.append(')');
    } else if (st instanceof LogfmtParserStage l) {
      sb.append("(logfmt");
      if (l.strict()) {
        sb.append(" --strict");
      }
      if (l.keepEmpty()) {
        sb.append(" --keep-empty");
      }
      extractions(l.extractions(), sb);
      sb.append(')');
    } else if (st instanceof RegexpParserStage r) {
      sb.append("(regexp ");
      quote(r.regex(), sb);
      sb.append(')');
    } else if (st instanceof PatternParserStage p) {
      sb.append("(pattern ");
      quote(p.pattern(), sb);
      sb.append(')');
    } else if (st instanceof UnpackParserStage) {
      sb.append("(unpack)");
    } else if (st instanceof LineFormatStage l) {
      sb.append("(line_format ");
      quote(l.template(), sb);
      sb.append(')');
    } else if (st instanceof LabelFormatStage l) {
      sb.append("(label_format");
      for (LabelFormatStage.Rule r : l.rules()) {
        sb.append(r.template() ? " (template " : " (rename ").append(r.destination()).append(' ');
        if (r.template()) {
          quote(r.source(), sb);
        } else {
          sb.append(r.source());
        }
        sb.append(')');
      }
      sb.append(')');
    } else if (st instanceof DropLabelsStage d) {
      names("drop", d.labels(), sb);
    } else if (st instanceof KeepLabelsStage k) {
      names("keep", k.labels(), sb);
    } else if (st instanceof DecolorizeStage) {
      sb.append("(decolorize)");
    }
  }

  private static void names(String op, List<LabelName> names, StringBuilder sb) {
    sb.append('(').append(op);
    for (LabelName n : names) {
      sb.append(' ');
      if (n.matcher().isPresent()) {
        matcher(n.matcher().get(), sb);
      } else {
        sb.append(n.name());
      }
    }
    sb.append(')');
  }

  private static void extractions(List<LabelExtraction> ex, StringBuilder sb) {
    for (LabelExtraction e : ex) {
      sb.append(" (").append(e.label()).append(' ');
      quote(e.expression(), sb);
      sb.append(')');
    }
  }

  private static void filter(LabelFilter f, StringBuilder sb) {
    if (f instanceof LabelFilter.Matcher m) {
      matcher(m.matcher(), sb);
    } else if (f instanceof LabelFilter.Numeric n) {
      sb.append('(').append(n.op().symbol()).append(' ').append(n.name()).append(' ')
          .append(number(n.value())).append(')');
    } else if (f instanceof LabelFilter.Duration d) {
      sb.append('(').append(d.op().symbol()).append(' ').append(d.name()).append(" (dur ")
          .append(seconds(d.nanos())).append("))");
    } else if (f instanceof LabelFilter.Bytes b) {
      sb.append('(').append(b.op().symbol()).append(' ').append(b.name()).append(" (bytes ")
          .append(b.bytes()).append("))");
    } else if (f instanceof LabelFilter.Ip ip) {
      sb.append('(').append(ip.negated() ? "!=" : "=").append(' ').append(ip.name()).append(" (ip ");
      quote(ip.pattern(), sb);
      sb.append("))");
    } else if (f instanceof LabelFilter.Binary b) {
      sb.append(b.and() ? "(and " : "(or ");
      filter(b.left(), sb);
      sb.append(' ');
      filter(b.right(), sb);
      sb.append(')');
    }
  }

  private static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  private static String seconds(long nanos) {
    return BigDecimal.valueOf(nanos).movePointLeft(9).stripTrailingZeros().toPlainString() + "s";
  }

  /** Double quotes with backslash escapes for {@code \ " newline tab}; other chars as they are. */
  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    sb.append('"');
  }
}
