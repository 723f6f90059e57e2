package io.fjord.ingester.replay;

/** A replay was stopped before its end because the ingester is shutting down. */
public final class ReplayAbortedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReplayAbortedException(String message) {
    super(message);
  }
}
