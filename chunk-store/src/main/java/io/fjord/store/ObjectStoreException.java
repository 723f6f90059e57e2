package io.fjord.store;

/**
 * A failed object-store operation. Sealed: it is either {@link ObjectNotFoundException} (the object
 * is not there; retrying will not help) or {@link ObjectStoreUnavailableException} (the store could
 * not do it now; retry with backoff). The message names the operation and the key.
 */
public abstract sealed class ObjectStoreException extends RuntimeException
    permits ObjectNotFoundException, ObjectStoreUnavailableException {
  private static final long serialVersionUID = 1L;

  ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
