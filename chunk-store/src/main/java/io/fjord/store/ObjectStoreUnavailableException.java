package io.fjord.store;

/**
 * The store could not carry out an operation now: unreachable, a server error, throttling, denied
 * access, a missing bucket, a full or read-only disk. The caller keeps its data and retries with
 * backoff; the message says what failed and why, for the operator.
 */
public final class ObjectStoreUnavailableException extends ObjectStoreException {
  private static final long serialVersionUID = 1L;

  public ObjectStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
