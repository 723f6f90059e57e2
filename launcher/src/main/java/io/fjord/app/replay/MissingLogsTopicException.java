package io.fjord.app.replay;

/** The logs topic to replay does not exist on the cluster; the message names it. Exit code 1. */
final class MissingLogsTopicException extends Exception {
  private static final long serialVersionUID = 1L;

  MissingLogsTopicException(String message) {
    super(message);
  }
}
