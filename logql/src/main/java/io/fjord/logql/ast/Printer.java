package io.fjord.logql.ast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders AST nodes back to LogQL text in Loki's canonical form (strings double-quoted with Go
 * escapes), e.g. for error messages ({@code stage '| line_format "..."' : ...}). Stateless.
 */
public final class Printer {
  private Printer() {}

  public static String print(Expr expr) {
    StringBuilder sb = new StringBuilder();
    expr(expr, sb);
    return sb.toString();
  }

  public static String print(PipelineStage stage) {
    StringBuilder sb = new StringBuilder();
    stage(stage, sb);
    return sb.toString();
  }

  private static void expr(Expr e, StringBuilder sb) {
    if (e instanceof LogSelectorExpr s) {
      selector(s, sb);
    } else if (e instanceof LiteralExpr l) {
      sb.append(number(l.value()));
    } else if (e instanceof VectorExpr v) {
      sb.append("vector(").append(number(v.value())).append(')');
    } else if (e instanceof RangeAggregationExpr r) {
      sb.append(r.op().lokiName()).append('(');
      r.parameter().ifPresent(p -> sb.append(number(p)).append(','));
      logRange(r.range(), sb);
      sb.append(')');
      r.grouping().ifPresent(g -> grouping(g, sb));
    } else if (e instanceof VectorAggregationExpr v) {
      sb.append(v.op().lokiName());
      v.grouping().ifPresent(g -> grouping(g, sb));
      sb.append('(');
      v.parameter().ifPresent(p -> sb.append(p).append(','));
      expr(v.inner(), sb);
      sb.append(')');
    } else if (e instanceof BinaryOpExpr b) {
      sb.append('(');
      expr(b.lhs(), sb);
      sb.append(' ').append(b.op().symbol());
      if (b.returnBool()) {
        sb.append(" bool");
      }
      b.matching().ifPresent(m -> {
        sb.append(m.on() ? " on" : " ignoring").append(labelList(m.labels()));
        if (m.cardinality() != VectorMatching.Cardinality.ONE_TO_ONE) {
          sb.append(m.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE ? " group_left" : " group_right")
              .append(labelList(m.include()));
        }
      });
      sb.append(' ');
      expr(b.rhs(), sb);
      sb.append(')');
    } else if (e instanceof LabelReplaceExpr l) {
      sb.append("label_replace(");
      expr(l.inner(), sb);
      for (String s : List.of(l.destination(), l.replacement(), l.source(), l.regex())) {
        sb.append(',');
        quote(s, sb);
      }
      sb.append(')');
    }
  }

  private static void logRange(LogRange r, StringBuilder sb) {
    selector(r.selector(), sb);
    r.unwrap().ifPresent(u -> {
      sb.append(" | unwrap ");
      if (u.conversion() == UnwrapConversion.NONE) {
        sb.append(u.label());
      } else {
        sb.append(u.conversion().function()).append('(').append(u.label()).append(')');
      }
      for (LabelFilter f : u.postFilters()) {
        sb.append(" | ");
        labelFilter(f, sb);
      }
    });
    sb.append('[').append(rangeDuration(r.range().toNanos())).append(']');
    if (!r.offset().isZero()) {
      sb.append(" offset ").append(duration(r.offset().toNanos()));
    }
  }

  private static void grouping(Grouping g, StringBuilder sb) {
    sb.append(g.without() ? " without " : " by ").append(labelList(g.labels()));
  }

  private static String labelList(List<String> labels) {
    return "(" + String.join(",", labels) + ")";
  }

  private static void selector(LogSelectorExpr s, StringBuilder sb) {
    sb.append('{').append(s.matchers().stream().map(LabelMatcher::toString).collect(Collectors.joining(", ")))
        .append('}');
    for (PipelineStage st : s.pipeline()) {
      sb.append(' ');
      stage(st, sb);
    }
  }

  private static void stage(PipelineStage st, StringBuilder sb) {
    if (st instanceof LineFilterStage lf) {
      sb.append(lf.op().symbol()).append(' ');
      for (int i = 0; i < lf.values().size(); i++) {
        if (i > 0) {
          sb.append(" or ");
        }
        LineFilterValue v = lf.values().get(i);
        if (v.ip()) {
          sb.append("ip(");
          quote(v.value(), sb);
          sb.append(')');
        } else {
          quote(v.value(), sb);
        }
      }
    } else if (st instanceof LabelFilterStage l) {
      sb.append("| ");
      labelFilter(l.filter(), sb);
    } else if (st instanceof JsonParserStage j) {
      sb.append("| json");
      extractions(j.extractions(), sb);
    } else if (st instanceof LogfmtParserStage l) {
      sb.append("| logfmt");
      if (l.strict()) {
        sb.append(" --strict");
      }
      if (l.keepEmpty()) {
        sb.append(" --keep-empty");
      }
      extractions(l.extractions(), sb);
    } else if (st instanceof RegexpParserStage r) {
      sb.append("| regexp ");
      quote(r.regex(), sb);
    } else if (st instanceof PatternParserStage p) {
      sb.append("| pattern ");
      quote(p.pattern(), sb);
    } else if (st instanceof UnpackParserStage) {
      sb.append("| unpack");
    } else if (st instanceof LineFormatStage l) {
      sb.append("| line_format ");
      quote(l.template(), sb);
    } else if (st instanceof LabelFormatStage l) {
      sb.append("| label_format ");
      for (int i = 0; i < l.rules().size(); i++) {
        LabelFormatStage.Rule r = l.rules().get(i);
        if (i > 0) {
          sb.append(',');
        }
        sb.append(r.destination()).append('=');
        if (r.template()) {
          quote(r.source(), sb);
        } else {
          sb.append(r.source());
        }
      }
    } else if (st instanceof DropLabelsStage d) {
      sb.append("| drop ");
      names(d.labels(), sb);
    } else if (st instanceof KeepLabelsStage k) {
      sb.append("| keep ");
      names(k.labels(), sb);
    } else if (st instanceof DecolorizeStage) {
      sb.append("| decolorize");
    }
  }

  private static void names(List<LabelName> names, StringBuilder sb) {
    sb.append(names.stream().map(n -> n.matcher().map(LabelMatcher::toString).orElse(n.name()))
        .collect(Collectors.joining(",")));
  }

  private static void extractions(List<LabelExtraction> ex, StringBuilder sb) {
    for (int i = 0; i < ex.size(); i++) {
      sb.append(i == 0 ? " " : ",");
      sb.append(ex.get(i).label()).append('=');
      quote(ex.get(i).expression(), sb);
    }
  }

  private static void labelFilter(LabelFilter f, StringBuilder sb) {
    if (f instanceof LabelFilter.Matcher m) {
      sb.append(m.matcher());
    } else if (f instanceof LabelFilter.Numeric n) {
      sb.append(n.name()).append(n.op().symbol()).append(number(n.value()));
    } else if (f instanceof LabelFilter.Duration d) {
      sb.append(d.name()).append(d.op().symbol()).append(duration(d.nanos()));
    } else if (f instanceof LabelFilter.Bytes b) {
      sb.append(b.name()).append(b.op().symbol()).append(b.bytes()).append('B');
    } else if (f instanceof LabelFilter.Ip ip) {
      sb.append(ip.name()).append(ip.negated() ? "!=" : "=").append("ip(");
      quote(ip.pattern(), sb);
      sb.append(')');
    } else if (f instanceof LabelFilter.Binary b) {
      sb.append('(');
      labelFilter(b.left(), sb);
      sb.append(b.and() ? " and " : " or ");
      labelFilter(b.right(), sb);
      sb.append(')');
    }
  }

  private static void quote(String s, StringBuilder sb) {
    io.fjord.schemas.labels.Labels.quote(s, sb);
  }

  private static String number(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private static final long MILLI = 1_000_000L;
  private static final long[] RANGE_UNITS = {
      365L * 24 * 3_600_000, 7L * 24 * 3_600_000, 24L * 3_600_000, 3_600_000, 60_000, 1_000, 1};
  private static final String[] RANGE_UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

  /**
   * A range as Loki prints it (Prometheus' duration form): {@code [5m]}, {@code [1h30m]}, {@code [1d]},
   * {@code [1s500ms]}; years and weeks only when they divide the range exactly ({@code [8d]}, not
   * {@code [1w1d]}). That form counts milliseconds, so a range with a finer part keeps Go's form
   * ({@code [1.0005s]}) rather than lose it: the printed query is also what the ingesters run.
   */
  static String rangeDuration(long nanos) {
    if (nanos <= 0 || nanos % MILLI != 0) {
      return duration(nanos);
    }
    long ms = nanos / MILLI;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < RANGE_UNITS.length; i++) {
      long unit = RANGE_UNITS[i];
      if (i < 2 && ms % unit != 0) {
        continue;
      }
      if (ms >= unit) {
        sb.append(ms / unit).append(RANGE_UNIT_NAMES[i]);
        ms %= unit;
      }
    }
    return sb.toString();
  }

  /** Go's Duration.String(): {@code 1h30m0s}, {@code 5m0s}, {@code 1.5s}, {@code 300ms}. */
  static String duration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long n = nanos;
    if (n < 0) {
      sb.append('-');
      n = -n;
    }
    if (n < 1_000_000_000L) {
      if (n < 1_000L) {
        return sb.append(n).append("ns").toString();
      }
      if (n < 1_000_000L) {
        return sb.append(trimFraction(n, 1_000L)).append("µs").toString();
      }
      return sb.append(trimFraction(n, 1_000_000L)).append("ms").toString();
    }
    long h = n / 3_600_000_000_000L;
    long m = (n / 60_000_000_000L) % 60;
    long rest = n % 60_000_000_000L;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    return sb.append(trimFraction(rest, 1_000_000_000L)).append('s').toString();
  }

  private static String trimFraction(long value, long unit) {
    String s = java.math.BigDecimal.valueOf(value).divide(java.math.BigDecimal.valueOf(unit))
        .stripTrailingZeros().toPlainString();
    return s;
  }
}
