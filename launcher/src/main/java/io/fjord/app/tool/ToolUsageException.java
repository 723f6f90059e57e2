package io.fjord.app.tool;

/** A command line of a Kafka tool ({@code fjord backfill}, {@code fjord replay}) that cannot be run; the message names the flag. Exit code 2. */
public final class ToolUsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public ToolUsageException(String message) {
    super(message);
  }
}
