package io.fjord.logql;

/**
 * A query that cannot be parsed or does not pass validation. {@link #getMessage()} is the text
 * Loki answers with (HTTP 400): {@code parse error at line L, col C: reason}, or
 * {@code parse error : reason} when the error has no position (line and column 0, as Loki prints
 * for errors found by validation). Immutable.
 */
public class LogQLException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final int line;
  private final int column;

  public LogQLException(String reason, int line, int column) {
    super(format(reason, line, column));
    this.reason = reason;
    this.line = line;
    this.column = column;
  }

  /** An error without a position, printed {@code parse error : reason}. */
  public LogQLException(String reason) {
    this(reason, 0, 0);
  }

  private static String format(String reason, int line, int column) {
    if (line == 0 && column == 0) {
      return "parse error : " + reason;
    }
    return "parse error at line " + line + ", col " + column + ": " + reason;
  }

  /** 1-based line of the error, 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the error, 0 when unknown. */
  public int column() {
    return column;
  }

  /** The message without the {@code parse error ...:} prefix. */
  public String reason() {
    return reason;
  }
}
