package io.fjord.logql.parser;

import io.fjord.logql.ast.Expr;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.lexer.TokenType;

/**
 * Entry point of the syntax pass: text to AST, or a {@link io.fjord.logql.LogQLException} with
 * Loki's message and the position of the offending token. Performs no semantic checks (see
 * {@link Validator}). Stateless, thread-safe.
 */
public final class Parser {
  private Parser() {}

  /** Parses a log query or a metric query. */
  public static Expr parse(String query) {
    TokenStream ts = new TokenStream(query);
    LogParser logParser = new LogParser(ts);
    Expr expr;
    if (ts.at(TokenType.OPEN_BRACE)) {
      expr = logParser.parseLogExpr();
    } else {
      expr = new MetricParser(ts, logParser).parseExpr();
    }
    if (!ts.at(TokenType.EOF)) {
      throw ts.unexpected();
    }
    return expr;
  }

  /** Parses a log query only (a selector with an optional pipeline). */
  public static LogSelectorExpr parseLogSelector(String query) {
    TokenStream ts = new TokenStream(query);
    LogSelectorExpr expr = new LogParser(ts).parseLogExpr();
    if (!ts.at(TokenType.EOF)) {
      throw ts.unexpected();
    }
    return expr;
  }
}
