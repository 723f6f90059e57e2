package io.fjord.app.backfill;

/** The topic to backfill does not exist on the cluster. */
final class MissingTopicException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MissingTopicException(String topic) {
    super("topic " + topic + " does not exist");
  }
}
