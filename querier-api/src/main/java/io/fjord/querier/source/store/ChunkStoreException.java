package io.fjord.querier.source.store;

import io.fjord.common.http.ApiException;

/**
 * The chunk store could not serve a query, so the query fails rather than return partial data:
 * 503 when the object store (or the chunk index in it) cannot be read now, naming the store and
 * what failed; 500 when a chunk object cannot be read as a chunk (corrupt, or of an unknown
 * format version), naming the object. Immutable.
 */
public final class ChunkStoreException extends ApiException {
  private static final long serialVersionUID = 1L;

  private ChunkStoreException(int status, String message, Throwable cause) {
    super(status, message, cause);
  }

  static ChunkStoreException unavailable(Object store, String what, Throwable cause) {
    return new ChunkStoreException(503, "chunk store " + store + " unavailable while " + what + ": "
        + cause.getMessage(), cause);
  }

  static ChunkStoreException unreadable(Throwable cause) {
    return new ChunkStoreException(500, "unreadable chunk in the store: " + cause.getMessage(), cause);
  }
}
