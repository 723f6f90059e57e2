package io.fjord.querier.engine.metric;

/**
 * A metric query that parsed but cannot be answered: a pipeline error in a series (e.g. an unwrap
 * of a value that is not a number), vector matching that is not unique, too many series. The
 * message is Loki's (or Prometheus') text; the query is the client's fault (HTTP 400). Immutable.
 */
public final class EvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EvaluationException(String message) {
    super(message);
  }
}
