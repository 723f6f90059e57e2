package io.fjord.distributor.push;

/**
 * Why a push was not (fully) accepted. The {@link Kind} is the whole contract with the HTTP layer,
 * which maps each kind to a status in one place; the message is what the client reads. Thrown by
 * the decoders, the validator, the rate limiter and the Kafka writer. Immutable.
 */
public final class PushException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The classes of failure a push can meet. */
  public enum Kind {
    /** The body cannot be read: bad JSON, wrong JSON types, broken protobuf, snappy or gzip. */
    MALFORMED_BODY,
    /** The body, as sent or once decompressed, is over its configured cap. */
    BODY_TOO_LARGE,
    /** A Content-Encoding the distributor does not speak. */
    UNSUPPORTED_ENCODING,
    /** Some streams or entries broke a validation rule; the valid rest has been written. */
    INVALID,
    /** The tenant is over its ingestion rate; nothing of the push was written. */
    RATE_LIMITED,
    /** Kafka did not acknowledge every record in time; the push must be retried. */
    UNAVAILABLE
  }

  private final Kind kind;

  public PushException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public PushException(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static PushException malformed(String message) {
    return new PushException(Kind.MALFORMED_BODY, message);
  }
}
