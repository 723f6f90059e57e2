package io.fjord.logql.parser;

import io.fjord.logql.LogQLException;
import io.fjord.logql.ast.BinaryOp;
import io.fjord.logql.ast.BinaryOpExpr;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.LabelReplaceExpr;
import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.ast.LiteralExpr;
import io.fjord.logql.ast.LogRange;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.Position;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.ast.RangeOp;
import io.fjord.logql.ast.SampleExpr;
import io.fjord.logql.ast.VectorAggregationExpr;
import io.fjord.logql.ast.VectorExpr;
import io.fjord.logql.ast.VectorMatching;
import io.fjord.logql.ast.VectorOp;
import io.fjord.logql.lexer.Token;
import io.fjord.logql.lexer.TokenType;
import io.fjord.logql.units.GoDurations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parser for metric queries: binary operations by precedence climbing (Loki's precedence, see
 * {@link BinaryOp}), range and vector aggregations, {@code label_replace}, {@code vector()} and
 * number literals. Parameter rules that Loki enforces while parsing (e.g. {@code topk} needs k)
 * are raised here as position-less errors, with Loki's texts. Single-use, not thread-safe.
 */
final class MetricParser {
  private final TokenStream ts;
  private final LogParser logParser;

  MetricParser(TokenStream ts, LogParser logParser) {
    this.ts = ts;
    this.logParser = logParser;
  }

  SampleExpr parseExpr() {
    return parseBinary(1);
  }

  private SampleExpr parseBinary(int minPrecedence) {
    SampleExpr lhs = parsePrimary();
    while (true) {
      BinaryOp op = binaryOp(ts.peek());
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      ts.next();
      boolean returnBool = false;
      if (ts.atWord("bool")) {
        ts.next();
        returnBool = true;
      }
      Optional<VectorMatching> matching = parseVectorMatching();
      int nextMin = op.isRightAssociative() ? op.precedence() : op.precedence() + 1;
      SampleExpr rhs = parseBinary(nextMin);
      lhs = new BinaryOpExpr(op, lhs, rhs, returnBool, matching, lhs.position());
    }
  }

  private Optional<VectorMatching> parseVectorMatching() {
    if (!ts.atWord("on") && !ts.atWord("ignoring")) {
      return Optional.empty();
    }
    boolean on = ts.next().value().equals("on");
    List<String> labels = parseLabelList();
    VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
    List<String> include = List.of();
    if (ts.atWord("group_left") || ts.atWord("group_right")) {
      card = ts.next().value().equals("group_left")
          ? VectorMatching.Cardinality.MANY_TO_ONE : VectorMatching.Cardinality.ONE_TO_MANY;
      if (ts.at(TokenType.OPEN_PARENTHESIS)) {
        include = parseLabelList();
      }
    }
    return Optional.of(new VectorMatching(on, labels, card, include));
  }

  private static BinaryOp binaryOp(Token t) {
    return switch (t.type()) {
      case KEYWORD -> switch (t.value()) {
        case "or" -> BinaryOp.OR;
        case "and" -> BinaryOp.AND;
        case "unless" -> BinaryOp.UNLESS;
        default -> null;
      };
      case CMP_EQ -> BinaryOp.EQ;
      case NEQ -> BinaryOp.NEQ;
      case GT -> BinaryOp.GT;
      case GTE -> BinaryOp.GTE;
      case LT -> BinaryOp.LT;
      case LTE -> BinaryOp.LTE;
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      default -> null;
    };
  }

  private SampleExpr parsePrimary() {
    Token t = ts.peek();
    Position pos = TokenStream.position(t);
    switch (t.type()) {
      case NUMBER, ADD, SUB -> {
        return new LiteralExpr(logParser.parseSignedNumber(), pos);
      }
      case OPEN_PARENTHESIS -> {
        ts.next();
        SampleExpr inner = parseExpr();
        closeAfterExpr();
        return inner;
      }
      case FUNCTION -> {
        Optional<RangeOp> range = RangeOp.byName(t.value());
        if (range.isPresent()) {
          return parseRangeAggregation(range.get());
        }
        Optional<VectorOp> vector = VectorOp.byName(t.value());
        if (vector.isPresent()) {
          return parseVectorAggregation(vector.get());
        }
        if (t.value().equals("label_replace")) {
          return parseLabelReplace();
        }
        if (t.value().equals("vector")) {
          ts.next();
          ts.expect(TokenType.OPEN_PARENTHESIS);
          double v = logParser.parseSignedNumber();
          ts.expect(TokenType.CLOSE_PARENTHESIS);
          return new VectorExpr(v, pos);
        }
        throw ts.unexpected();
      }
      default -> throw ts.unexpected();
    }
  }

  private SampleExpr parseRangeAggregation(RangeOp op) {
    Token name = ts.next();
    ts.expect(TokenType.OPEN_PARENTHESIS);
    Optional<Double> param = Optional.empty();
    if (ts.at(TokenType.NUMBER) || ts.at(TokenType.SUB) || ts.at(TokenType.ADD)) {
      param = Optional.of(logParser.parseSignedNumber());
      ts.expect(TokenType.COMMA);
    }
    LogRange range = parseLogRange();
    ts.expect(TokenType.CLOSE_PARENTHESIS);
    Optional<Grouping> grouping = parseOptionalGrouping();
    if (op == RangeOp.QUANTILE_OVER_TIME && param.isEmpty()) {
      throw new LogQLException("parameter required for operation " + op.lokiName());
    }
    return new RangeAggregationExpr(op, range, param, grouping, TokenStream.position(name));
  }

  /**
   * {@code selector [pipeline] [unwrap] RANGE [offset D]}, or with the pipeline after the range
   * ({@code {a="b"}[5m] |= "x"}), or a parenthesised selector and pipeline before the range.
   */
  private LogRange parseLogRange() {
    Token start = ts.peek();
    boolean parenthesised = false;
    if (ts.at(TokenType.OPEN_PARENTHESIS)) {
      ts.next();
      parenthesised = true;
    }
    if (!ts.at(TokenType.OPEN_BRACE)) {
      throw ts.unexpected("OPEN_BRACE");
    }
    List<LabelMatcher> matchers = logParser.parseSelector();
    LogParser.PipelineResult before = logParser.parsePipeline(true);
    if (parenthesised) {
      ts.expect(TokenType.CLOSE_PARENTHESIS);
    }
    Token rangeTok = ts.expect(TokenType.RANGE);
    Duration range = Duration.ofNanos(GoDurations.parseNanos(rangeTok.value()));
    Duration offset = parseOffset();
    LogParser.PipelineResult after = new LogParser.PipelineResult(List.of(), Optional.empty());
    if (before.stages().isEmpty() && before.unwrap().isEmpty()) {
      after = logParser.parsePipeline(true);
      if (offset.isZero()) {
        offset = parseOffset();
      }
    }
    List<io.fjord.logql.ast.PipelineStage> stages = new ArrayList<>(before.stages());
    stages.addAll(after.stages());
    LogSelectorExpr selector = new LogSelectorExpr(matchers, stages, TokenStream.position(start));
    return new LogRange(selector, range, before.unwrap().or(after::unwrap), offset, TokenStream.position(start));
  }

  private Duration parseOffset() {
    if (!ts.atWord("offset")) {
      return Duration.ZERO;
    }
    ts.next();
    Token d = ts.expect(TokenType.DURATION);
    return Duration.ofNanos(GoDurations.parseNanos(d.value()));
  }

  private SampleExpr parseVectorAggregation(VectorOp op) {
    Token name = ts.next();
    Optional<Grouping> grouping = parseOptionalGrouping();
    ts.expect(TokenType.OPEN_PARENTHESIS);
    Optional<String> param = Optional.empty();
    if (ts.at(TokenType.NUMBER) && ts.peek(1).is(TokenType.COMMA)) {
      param = Optional.of(ts.next().value());
      ts.next();
    }
    SampleExpr inner = parseExpr();
    closeAfterExpr();
    if (grouping.isEmpty()) {
      grouping = parseOptionalGrouping();
    }
    Optional<Integer> k = Optional.empty();
    if (op.needsParameter()) {
      if (param.isEmpty()) {
        throw new LogQLException("parameter required for operation " + op.lokiName());
      }
      int v;
      try {
        v = Integer.parseInt(param.get());
      } catch (NumberFormatException e) {
        throw new LogQLException("invalid parameter " + op.lokiName() + "(" + param.get() + ",");
      }
      if (v <= 0) {
        throw new LogQLException("invalid parameter (must be greater than 0) " + op.lokiName() + "(" + param.get());
      }
      k = Optional.of(v);
    } else if (param.isPresent()) {
      throw new LogQLException("unsupported parameter for operation " + op.lokiName() + "(" + param.get() + ",");
    }
    return new VectorAggregationExpr(op, inner, k, grouping, TokenStream.position(name));
  }

  private SampleExpr parseLabelReplace() {
    Token name = ts.next();
    ts.expect(TokenType.OPEN_PARENTHESIS);
    SampleExpr inner = parseExpr();
    String[] args = new String[4];
    for (int i = 0; i < 4; i++) {
      ts.expect(TokenType.COMMA);
      args[i] = ts.expect(TokenType.STRING).value();
    }
    ts.expect(TokenType.CLOSE_PARENTHESIS);
    return new LabelReplaceExpr(inner, args[0], args[1], args[2], args[3], TokenStream.position(name));
  }

  /**
   * A closing parenthesis after an expression: as in Loki's LALR parser, a binary operator could
   * also have followed, so the error lists no expectation.
   */
  private void closeAfterExpr() {
    if (!ts.at(TokenType.CLOSE_PARENTHESIS)) {
      throw ts.unexpected();
    }
    ts.next();
  }

  private Optional<Grouping> parseOptionalGrouping() {
    if (ts.atWord("by") || ts.atWord("without")) {
      boolean without = ts.next().value().equals("without");
      return Optional.of(new Grouping(without, parseLabelList()));
    }
    return Optional.empty();
  }

  /** {@code ( [name {, name}] )}. */
  private List<String> parseLabelList() {
    ts.expect(TokenType.OPEN_PARENTHESIS);
    List<String> labels = new ArrayList<>();
    if (ts.at(TokenType.CLOSE_PARENTHESIS)) {
      ts.next();
      return labels;
    }
    while (true) {
      labels.add(ts.expect(TokenType.IDENTIFIER).value());
      if (ts.at(TokenType.COMMA)) {
        ts.next();
      } else if (ts.at(TokenType.CLOSE_PARENTHESIS)) {
        ts.next();
        return labels;
      } else {
        throw ts.unexpected("CLOSE_PARENTHESIS", "COMMA");
      }
    }
  }
}
