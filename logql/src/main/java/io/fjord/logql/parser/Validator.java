package io.fjord.logql.parser;

import io.fjord.logql.LogQLException;
import io.fjord.logql.ast.BinaryOpExpr;
import io.fjord.logql.ast.DropLabelsStage;
import io.fjord.logql.ast.Expr;
import io.fjord.logql.ast.KeepLabelsStage;
import io.fjord.logql.ast.LabelFilter;
import io.fjord.logql.ast.LabelFilterStage;
import io.fjord.logql.ast.LabelFormatStage;
import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.ast.LabelName;
import io.fjord.logql.ast.LabelReplaceExpr;
import io.fjord.logql.ast.LiteralExpr;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.MatchType;
import io.fjord.logql.ast.PipelineStage;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.ast.RangeOp;
import io.fjord.logql.ast.VectorAggregationExpr;
import io.fjord.logql.regex.Re2;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The semantic pass over a parsed query, separate from the syntax pass: regexes compile, a
 * selector has a matcher that cannot match the empty string, range aggregations have (or lack)
 * an unwrap as their operation requires, binary operations are well-typed. Errors carry Loki's
 * texts; those Loki reports without a position are raised without one. Stateless, thread-safe.
 */
public final class Validator {
  static final String EMPTY_MATCHERS = "queries require at least one regexp or equality matcher that does not "
      + "have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, "
      + "but app=~\".+\" will";

  private Validator() {}

  public static void validate(Expr expr) {
    if (expr instanceof LogSelectorExpr s) {
      validateSelector(s);
    } else if (expr instanceof RangeAggregationExpr r) {
      validateRange(r);
    } else if (expr instanceof VectorAggregationExpr v) {
      validate(v.inner());
    } else if (expr instanceof LabelReplaceExpr l) {
      validate(l.inner());
      try {
        Re2.compile(l.regex());
      } catch (IllegalArgumentException e) {
        throw new LogQLException("invalid regex in label_replace: " + e.getMessage());
      }
    } else if (expr instanceof BinaryOpExpr b) {
      validateBinary(b);
    }
  }

  /** Checks one log selector and its pipeline's label matchers. */
  public static void validateSelector(LogSelectorExpr s) {
    boolean hasNonEmpty = false;
    for (LabelMatcher m : s.matchers()) {
      checkRegex(m);
      hasNonEmpty |= !matchesEmpty(m);
    }
    if (!hasNonEmpty) {
      throw new LogQLException(EMPTY_MATCHERS);
    }
    for (PipelineStage stage : s.pipeline()) {
      validateStage(stage);
    }
  }

  private static void validateStage(PipelineStage stage) {
    if (stage instanceof LabelFilterStage l) {
      validateFilter(l.filter());
    } else if (stage instanceof DropLabelsStage d) {
      d.labels().forEach(Validator::checkLabelName);
    } else if (stage instanceof KeepLabelsStage k) {
      k.labels().forEach(Validator::checkLabelName);
    } else if (stage instanceof LabelFormatStage l) {
      Set<String> seen = new HashSet<>();
      for (LabelFormatStage.Rule r : l.rules()) {
        if (!seen.add(r.destination())) {
          throw new LogQLException("multiple label name '" + r.destination() + "' appears in a single label format",
              r.position().line(), r.position().column());
        }
      }
    }
    // parsers, formatters and line filters are checked when the pipeline is compiled
  }

  private static void checkLabelName(LabelName n) {
    n.matcher().ifPresent(Validator::checkRegex);
  }

  private static void validateFilter(LabelFilter f) {
    if (f instanceof LabelFilter.Matcher m) {
      checkRegex(m.matcher());
    } else if (f instanceof LabelFilter.Binary b) {
      validateFilter(b.left());
      validateFilter(b.right());
    }
  }

  private static void checkRegex(LabelMatcher m) {
    if (m.type().isRegex()) {
      try {
        Re2.compile(m.value());
      } catch (IllegalArgumentException e) {
        throw new LogQLException(e.getMessage(), m.position().line(), m.position().column());
      }
    }
  }

  /** True when the matcher accepts the empty string (so it cannot narrow down streams by itself). */
  static boolean matchesEmpty(LabelMatcher m) {
    return switch (m.type()) {
      case EQ -> m.value().isEmpty();
      case NEQ -> !m.value().isEmpty();
      case RE, NRE -> {
        Pattern p = Re2.compile(m.value()).pattern();
        boolean matches = p.matcher("").matches();
        yield m.type() == MatchType.RE ? matches : !matches;
      }
    };
  }

  private static void validateRange(RangeAggregationExpr r) {
    validateSelector(r.range().selector());
    r.range().unwrap().ifPresent(u -> u.postFilters().forEach(Validator::validateFilter));
    RangeOp op = r.op();
    boolean unwrapped = r.range().unwrap().isPresent();
    if (op.needsUnwrap() && !unwrapped) {
      throw new LogQLException("invalid aggregation " + op.lokiName() + " without unwrap");
    }
    // Loki's metric_queries docs list rate and absent_over_time among both the log range and the
    // unwrapped range aggregations
    if (!op.needsUnwrap() && unwrapped && op != RangeOp.RATE && op != RangeOp.ABSENT_OVER_TIME) {
      throw new LogQLException("invalid aggregation " + op.lokiName() + " with unwrap");
    }
    if (r.grouping().isPresent() && !op.allowsGrouping()) {
      throw new LogQLException("grouping not allowed for " + op.lokiName() + " aggregation");
    }
    if (r.parameter().isPresent() && op != RangeOp.QUANTILE_OVER_TIME) {
      throw new LogQLException("parameter not supported for operation " + op.lokiName());
    }
  }

  private static void validateBinary(BinaryOpExpr b) {
    validate(b.lhs());
    validate(b.rhs());
    if (b.returnBool() && !b.op().isComparison()) {
      throw new LogQLException("bool modifier can only be used on comparison operators");
    }
    boolean lhsLiteral = b.lhs() instanceof LiteralExpr;
    boolean rhsLiteral = b.rhs() instanceof LiteralExpr;
    if (b.op().isSetOperator() && (lhsLiteral || rhsLiteral)) {
      throw new LogQLException("set operator " + b.op().symbol() + " not allowed in binary scalar expression");
    }
    if (b.op().isComparison() && lhsLiteral && rhsLiteral && !b.returnBool()) {
      throw new LogQLException("comparison operators between scalars must use BOOL modifier");
    }
  }

  /** All log selectors of a query (one for a log query, one per range aggregation otherwise). */
  public static List<LogSelectorExpr> selectors(Expr expr) {
    List<LogSelectorExpr> out = new java.util.ArrayList<>();
    collect(expr, out);
    return out;
  }

  private static void collect(Expr expr, List<LogSelectorExpr> out) {
    if (expr instanceof LogSelectorExpr s) {
      out.add(s);
    } else if (expr instanceof RangeAggregationExpr r) {
      out.add(r.range().selector());
    } else if (expr instanceof VectorAggregationExpr v) {
      collect(v.inner(), out);
    } else if (expr instanceof LabelReplaceExpr l) {
      collect(l.inner(), out);
    } else if (expr instanceof BinaryOpExpr b) {
      collect(b.lhs(), out);
      collect(b.rhs(), out);
    }
  }
}
