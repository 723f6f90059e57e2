package io.fjord.logql;

import io.fjord.logql.ast.Expr;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.eval.LogPipeline;
import io.fjord.logql.parser.Parser;
import io.fjord.logql.parser.Validator;

/**
 * The LogQL front door: parses a query, validates it, and compiles every pipeline once so that
 * invalid templates, regexes and patterns are reported at parse time, as Loki does. Every failure
 * is a {@link LogQLException} whose message is Loki's (answer it with HTTP 400). Stateless,
 * thread-safe.
 */
public final class LogQL {
  private LogQL() {}

  /** Parses and validates a log query or a metric query. */
  public static Expr parse(String query) {
    try {
      Expr expr = Parser.parse(query);
      Validator.validate(expr);
      for (LogSelectorExpr s : Validator.selectors(expr)) {
        compile(s);
      }
      return expr;
    } catch (StackOverflowError e) {
      throw tooDeep();
    }
  }

  /**
   * A hostile query nested thousands of levels deep exhausts the recursive-descent parser's stack;
   * the stack unwinds cleanly, and the caller gets a 400 instead of a 500.
   */
  private static LogQLException tooDeep() {
    return new LogQLException("query is nested too deeply");
  }

  /**
   * Parses a stream selector for the series ({@code match[]}) and labels ({@code query}) endpoints.
   * Accepts a bare selector {@code {a="b"}} and also a full log query with a pipeline
   * ({@code {a="b"} |= "x"}), which it returns whole (callers that only need the streams use
   * {@link LogSelectorExpr#matchers()}). A metric query is rejected. Validated like
   * {@link #parse}: a selector whose matchers all accept the empty string is an error.
   */
  public static LogSelectorExpr parseSelector(String query) {
    try {
      LogSelectorExpr expr = Parser.parseLogSelector(query);
      Validator.validateSelector(expr);
      compile(expr);
      return expr;
    } catch (StackOverflowError e) {
      throw tooDeep();
    }
  }

  private static void compile(LogSelectorExpr s) {
    try {
      LogPipeline.of(s);
    } catch (IllegalArgumentException e) {
      throw new LogQLException(e.getMessage());
    }
  }
}
