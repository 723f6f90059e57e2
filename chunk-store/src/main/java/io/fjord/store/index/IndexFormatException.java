package io.fjord.store.index;

/**
 * A chunk-index object that this reader cannot read: not a Fjord index object, an unknown format
 * version, a checksum mismatch, another tenant's object, a truncated or inconsistent body. The
 * message starts with the object's key, so the error says which object is bad. Immutable.
 */
public final class IndexFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String objectName;

  public IndexFormatException(String objectName, String reason) {
    super("chunk index object " + objectName + ": " + reason);
    this.objectName = objectName;
  }

  public String objectName() {
    return objectName;
  }
}
