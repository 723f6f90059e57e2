package io.fjord.logql.parser;

import io.fjord.logql.LogQLException;
import io.fjord.logql.ast.DecolorizeStage;
import io.fjord.logql.ast.DropLabelsStage;
import io.fjord.logql.ast.JsonParserStage;
import io.fjord.logql.ast.KeepLabelsStage;
import io.fjord.logql.ast.LabelExtraction;
import io.fjord.logql.ast.LabelFilter;
import io.fjord.logql.ast.LabelFilterStage;
import io.fjord.logql.ast.LabelFormatStage;
import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.ast.LabelName;
import io.fjord.logql.ast.LineFilterOp;
import io.fjord.logql.ast.LineFilterStage;
import io.fjord.logql.ast.LineFilterValue;
import io.fjord.logql.ast.LineFormatStage;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.LogfmtParserStage;
import io.fjord.logql.ast.MatchType;
import io.fjord.logql.ast.PatternParserStage;
import io.fjord.logql.ast.PipelineStage;
import io.fjord.logql.ast.Position;
import io.fjord.logql.ast.RegexpParserStage;
import io.fjord.logql.ast.UnpackParserStage;
import io.fjord.logql.ast.Unwrap;
import io.fjord.logql.ast.UnwrapConversion;
import io.fjord.logql.ast.ComparisonOp;
import io.fjord.logql.lexer.Token;
import io.fjord.logql.lexer.TokenType;
import io.fjord.logql.units.ByteSizes;
import io.fjord.logql.units.GoDurations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recursive-descent parser for log queries: the stream selector and the pipeline stages (line
 * filters, label filters, parsers, formatters, drop/keep, decolorize) and, inside a range
 * aggregation, {@code | unwrap}. Produces AST records with positions; no semantic checks (see
 * {@link Validator}). Single-use, not thread-safe.
 */
final class LogParser {
  private final TokenStream ts;

  LogParser(TokenStream ts) {
    this.ts = ts;
  }

  /** The result of parsing a pipeline that may end with an unwrap (range aggregations only). */
  record PipelineResult(List<PipelineStage> stages, Optional<Unwrap> unwrap) {}

  LogSelectorExpr parseLogExpr() {
    Token open = ts.peek();
    List<LabelMatcher> matchers = parseSelector();
    PipelineResult p = parsePipeline(false);
    return new LogSelectorExpr(matchers, p.stages(), TokenStream.position(open));
  }

  List<LabelMatcher> parseSelector() {
    ts.expect(TokenType.OPEN_BRACE);
    List<LabelMatcher> matchers = new ArrayList<>();
    if (ts.at(TokenType.CLOSE_BRACE)) {
      ts.next();
      return matchers;
    }
    while (true) {
      if (!ts.at(TokenType.IDENTIFIER)) {
        throw ts.unexpected("IDENTIFIER");
      }
      matchers.add(parseMatcher());
      if (ts.at(TokenType.COMMA)) {
        ts.next();
        continue;
      }
      if (ts.at(TokenType.CLOSE_BRACE)) {
        ts.next();
        return matchers;
      }
      throw ts.unexpected("CLOSE_BRACE", "COMMA");
    }
  }

  private LabelMatcher parseMatcher() {
    Token name = ts.expect(TokenType.IDENTIFIER);
    MatchType type = matchType(ts.peek());
    if (type == null) {
      throw ts.unexpected("EQ", "RE", "NRE", "NEQ");
    }
    ts.next();
    Token value = ts.expect(TokenType.STRING);
    return new LabelMatcher(name.value(), type, value.value(), TokenStream.position(name));
  }

  private static MatchType matchType(Token t) {
    return switch (t.type()) {
      case EQ -> MatchType.EQ;
      case NEQ -> MatchType.NEQ;
      case RE -> MatchType.RE;
      case NRE -> MatchType.NRE;
      default -> null;
    };
  }

  /** Parses stages until a token that cannot continue a pipeline; {@code allowUnwrap} in ranges. */
  PipelineResult parsePipeline(boolean allowUnwrap) {
    List<PipelineStage> stages = new ArrayList<>();
    while (true) {
      LineFilterOp op = lineFilterOp(ts.peek());
      if (op != null) {
        stages.add(parseLineFilter(op));
        continue;
      }
      if (!ts.at(TokenType.PIPE)) {
        return new PipelineResult(stages, Optional.empty());
      }
      if (allowUnwrap && ts.peek(1).isWord("unwrap")) {
        return new PipelineResult(stages, Optional.of(parseUnwrap()));
      }
      stages.add(parseStage());
    }
  }

  private static LineFilterOp lineFilterOp(Token t) {
    return switch (t.type()) {
      case PIPE_EXACT -> LineFilterOp.CONTAINS;
      case NEQ -> LineFilterOp.NOT_CONTAINS;
      case PIPE_MATCH -> LineFilterOp.MATCH;
      case NRE -> LineFilterOp.NOT_MATCH;
      case PIPE_PATTERN -> LineFilterOp.PATTERN;
      case NPA -> LineFilterOp.NOT_PATTERN;
      default -> null;
    };
  }

  private LineFilterStage parseLineFilter(LineFilterOp op) {
    Token opToken = ts.next();
    List<LineFilterValue> values = new ArrayList<>();
    values.add(parseLineFilterValue());
    while (ts.atWord("or")) {
      ts.next();
      values.add(parseLineFilterValue());
    }
    return new LineFilterStage(op, values, TokenStream.position(opToken));
  }

  private LineFilterValue parseLineFilterValue() {
    Token t = ts.peek();
    if (t.is(TokenType.STRING)) {
      ts.next();
      return new LineFilterValue(t.value(), false, TokenStream.position(t));
    }
    if (t.isWord("ip")) {
      return new LineFilterValue(parseIpCall(), true, TokenStream.position(t));
    }
    throw ts.unexpected("STRING", "IP");
  }

  private String parseIpCall() {
    ts.expectWord("ip", "IP");
    ts.expect(TokenType.OPEN_PARENTHESIS);
    String v = ts.expect(TokenType.STRING).value();
    ts.expect(TokenType.CLOSE_PARENTHESIS);
    return v;
  }

  private PipelineStage parseStage() {
    Token pipe = ts.expect(TokenType.PIPE);
    Position pos = TokenStream.position(pipe);
    Token t = ts.peek();
    if (t.is(TokenType.KEYWORD)) {
      switch (t.value()) {
        case "json":
          ts.next();
          return new JsonParserStage(parseExtractions(), pos);
        case "logfmt":
          return parseLogfmt(pos);
        case "regexp":
          ts.next();
          return new RegexpParserStage(ts.expect(TokenType.STRING).value(), pos);
        case "pattern":
          ts.next();
          return new PatternParserStage(ts.expect(TokenType.STRING).value(), pos);
        case "unpack":
          ts.next();
          return new UnpackParserStage(pos);
        case "line_format":
          ts.next();
          return new LineFormatStage(ts.expect(TokenType.STRING).value(), pos);
        case "label_format":
          ts.next();
          return new LabelFormatStage(parseLabelFormatRules(), pos);
        case "drop":
          ts.next();
          return new DropLabelsStage(parseLabelNames(), pos);
        case "keep":
          ts.next();
          return new KeepLabelsStage(parseLabelNames(), pos);
        case "decolorize":
          ts.next();
          return new DecolorizeStage(pos);
        default:
          break;
      }
    }
    if (t.is(TokenType.IDENTIFIER) || t.is(TokenType.OPEN_PARENTHESIS)) {
      return new LabelFilterStage(parseLabelFilter(), pos);
    }
    throw ts.unexpected();
  }

  private LogfmtParserStage parseLogfmt(Position pos) {
    ts.next();
    boolean strict = false;
    boolean keepEmpty = false;
    while (ts.at(TokenType.PARSER_FLAG)) {
      Token f = ts.next();
      switch (f.value()) {
        case "--strict" -> strict = true;
        case "--keep-empty" -> keepEmpty = true;
        default -> throw new LogQLException("invalid logfmt parser flag: " + f.value(), f.line(), f.column());
      }
    }
    return new LogfmtParserStage(strict, keepEmpty, parseExtractions(), pos);
  }

  /** {@code a, b="x.y"} after json/logfmt; empty when the next token is not an identifier. */
  private List<LabelExtraction> parseExtractions() {
    List<LabelExtraction> out = new ArrayList<>();
    if (!ts.at(TokenType.IDENTIFIER)) {
      return out;
    }
    while (true) {
      Token name = ts.expect(TokenType.IDENTIFIER);
      String expression = name.value();
      if (ts.at(TokenType.EQ)) {
        ts.next();
        expression = ts.expect(TokenType.STRING).value();
      }
      out.add(new LabelExtraction(name.value(), expression, TokenStream.position(name)));
      if (!ts.at(TokenType.COMMA)) {
        return out;
      }
      ts.next();
    }
  }

  private List<LabelFormatStage.Rule> parseLabelFormatRules() {
    List<LabelFormatStage.Rule> rules = new ArrayList<>();
    while (true) {
      Token dst = ts.expect(TokenType.IDENTIFIER);
      ts.expect(TokenType.EQ);
      Token src = ts.peek();
      if (src.is(TokenType.STRING)) {
        ts.next();
        rules.add(new LabelFormatStage.Rule(dst.value(), src.value(), true, TokenStream.position(dst)));
      } else if (src.is(TokenType.IDENTIFIER)) {
        ts.next();
        rules.add(new LabelFormatStage.Rule(dst.value(), src.value(), false, TokenStream.position(dst)));
      } else {
        throw ts.unexpected("IDENTIFIER", "STRING");
      }
      if (!ts.at(TokenType.COMMA)) {
        return rules;
      }
      ts.next();
    }
  }

  private List<LabelName> parseLabelNames() {
    List<LabelName> out = new ArrayList<>();
    while (true) {
      Token name = ts.expect(TokenType.IDENTIFIER);
      MatchType type = matchType(ts.peek());
      Optional<LabelMatcher> matcher = Optional.empty();
      if (type != null) {
        ts.next();
        String value = ts.expect(TokenType.STRING).value();
        matcher = Optional.of(new LabelMatcher(name.value(), type, value, TokenStream.position(name)));
      }
      out.add(new LabelName(name.value(), matcher, TokenStream.position(name)));
      if (!ts.at(TokenType.COMMA)) {
        return out;
      }
      ts.next();
    }
  }

  /**
   * Label filters combine left to right with equal precedence ({@code a or b and c} is
   * {@code (a or b) and c}, as Loki documents); a comma or mere juxtaposition means {@code and}.
   */
  LabelFilter parseLabelFilter() {
    LabelFilter left = parseLabelFilterTerm();
    while (true) {
      Token t = ts.peek();
      boolean and;
      if (t.isWord("and") || t.is(TokenType.COMMA)) {
        ts.next();
        and = true;
      } else if (t.isWord("or")) {
        ts.next();
        and = false;
      } else if (t.is(TokenType.IDENTIFIER) || t.is(TokenType.OPEN_PARENTHESIS)) {
        and = true;
      } else {
        return left;
      }
      LabelFilter right = parseLabelFilterTerm();
      left = new LabelFilter.Binary(and, left, right, left.position());
    }
  }

  private LabelFilter parseLabelFilterTerm() {
    if (ts.at(TokenType.OPEN_PARENTHESIS)) {
      ts.next();
      LabelFilter inner = parseLabelFilter();
      ts.expect(TokenType.CLOSE_PARENTHESIS);
      return inner;
    }
    if (!ts.at(TokenType.IDENTIFIER)) {
      throw ts.unexpected("IDENTIFIER");
    }
    Token name = ts.next();
    Position pos = TokenStream.position(name);
    Token opTok = ts.peek();
    MatchType mt = matchType(opTok);
    ComparisonOp cmp = comparison(opTok);
    if (mt == null && cmp == null) {
      throw ts.unexpected();
    }
    ts.next();
    Token value = ts.peek();
    if (mt != null && value.is(TokenType.STRING)) {
      ts.next();
      return new LabelFilter.Matcher(new LabelMatcher(name.value(), mt, value.value(), pos));
    }
    if ((mt == MatchType.EQ || mt == MatchType.NEQ) && value.isWord("ip")) {
      return new LabelFilter.Ip(name.value(), mt == MatchType.NEQ, parseIpCall(), pos);
    }
    if (cmp == null) {
      throw ts.unexpected();
    }
    switch (value.type()) {
      case DURATION -> {
        ts.next();
        return new LabelFilter.Duration(name.value(), cmp, GoDurations.parseNanos(value.value()), pos);
      }
      case BYTES -> {
        ts.next();
        return new LabelFilter.Bytes(name.value(), cmp, ByteSizes.parse(value.value()), pos);
      }
      case NUMBER, SUB, ADD -> {
        return new LabelFilter.Numeric(name.value(), cmp, parseSignedNumber(), pos);
      }
      default -> throw ts.unexpected();
    }
  }

  /** {@code [+|-] NUMBER} as a double (hex allowed). */
  double parseSignedNumber() {
    double sign = 1;
    if (ts.at(TokenType.SUB) || ts.at(TokenType.ADD)) {
      sign = ts.next().is(TokenType.SUB) ? -1 : 1;
    }
    Token n = ts.expect(TokenType.NUMBER);
    return sign * parseNumber(n);
  }

  static double parseNumber(Token n) {
    String s = n.value();
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return Long.parseLong(s.substring(2), 16);
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new LogQLException("invalid number " + s, n.line(), n.column());
    }
  }

  private static ComparisonOp comparison(Token t) {
    return switch (t.type()) {
      case EQ, CMP_EQ -> ComparisonOp.EQ;
      case NEQ -> ComparisonOp.NEQ;
      case GT -> ComparisonOp.GT;
      case GTE -> ComparisonOp.GTE;
      case LT -> ComparisonOp.LT;
      case LTE -> ComparisonOp.LTE;
      default -> null;
    };
  }

  /** {@code | unwrap [bytes|duration|duration_seconds(]label[)]} then label filters only. */
  private Unwrap parseUnwrap() {
    Token pipe = ts.expect(TokenType.PIPE);
    ts.expectWord("unwrap", "UNWRAP");
    UnwrapConversion conv = UnwrapConversion.NONE;
    String label;
    Token t = ts.peek();
    if (t.is(TokenType.FUNCTION) && (t.value().equals("bytes") || t.value().equals("duration")
        || t.value().equals("duration_seconds"))) {
      ts.next();
      conv = switch (t.value()) {
        case "bytes" -> UnwrapConversion.BYTES;
        case "duration" -> UnwrapConversion.DURATION;
        default -> UnwrapConversion.DURATION_SECONDS;
      };
      ts.expect(TokenType.OPEN_PARENTHESIS);
      label = ts.expect(TokenType.IDENTIFIER).value();
      ts.expect(TokenType.CLOSE_PARENTHESIS);
    } else {
      label = ts.expect(TokenType.IDENTIFIER).value();
    }
    List<LabelFilter> post = new ArrayList<>();
    while (ts.at(TokenType.PIPE)) {
      Token next = ts.peek(1);
      if (!next.is(TokenType.IDENTIFIER) && !next.is(TokenType.OPEN_PARENTHESIS)) {
        ts.next();
        throw ts.unexpected("IDENTIFIER");
      }
      ts.next();
      post.add(parseLabelFilter());
    }
    return new Unwrap(label, conv, post, TokenStream.position(pipe));
  }
}
