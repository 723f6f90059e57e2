package io.fjord.app.cli;

/** A command line that cannot be run (unknown flag, missing value, bad time); exit code 2. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
