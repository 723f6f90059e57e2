package io.fjord.ingester.index;

/**
 * The index store of a partition is closed or migrated (its task closed, possibly without telling
 * the registry after a crash of its stream thread). Readers treat the partition as no longer
 * served here.
 */
public final class IndexUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  IndexUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
