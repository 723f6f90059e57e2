package io.fjord.app.backfill;

/** A {@code fjord backfill} command line that cannot be run; the message names the flag. Exit code 2. */
final class BackfillUsageException extends Exception {
  private static final long serialVersionUID = 1L;

  BackfillUsageException(String message) {
    super(message);
  }
}
