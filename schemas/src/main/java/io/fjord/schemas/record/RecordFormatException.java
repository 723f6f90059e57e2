package io.fjord.schemas.record;

/**
 * A logs-topic record that this reader cannot read: wrong magic, an unknown version, a bad
 * checksum, a truncated or malformed body. The message says which; the ingester sends such
 * records to the dead-letter topic with it.
 */
public final class RecordFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RecordFormatException(String message) {
    super(message);
  }
}
