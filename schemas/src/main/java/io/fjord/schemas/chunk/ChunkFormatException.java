package io.fjord.schemas.chunk;

/**
 * A stored chunk that this reader cannot read: not a Fjord chunk, an unknown format version or
 * codec, a checksum mismatch, a truncated or inconsistent body. The message starts with the object
 * name, so the error says which object is bad; {@link #objectName()} gives it alone.
 */
public final class ChunkFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String objectName;

  public ChunkFormatException(String objectName, String reason) {
    super("chunk " + objectName + ": " + reason);
    this.objectName = objectName;
  }

  public ChunkFormatException(String objectName, String reason, Throwable cause) {
    super("chunk " + objectName + ": " + reason, cause);
    this.objectName = objectName;
  }

  public String objectName() {
    return objectName;
  }
}
