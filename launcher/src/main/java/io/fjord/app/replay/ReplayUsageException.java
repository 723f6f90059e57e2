package io.fjord.app.replay;

/** A {@code fjord replay} command line that cannot be run; the message names the flag. Exit code 2. */
final class ReplayUsageException extends Exception {
  private static final long serialVersionUID = 1L;

  ReplayUsageException(String message) {
    super(message);
  }
}
