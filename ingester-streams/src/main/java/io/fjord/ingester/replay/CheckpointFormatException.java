package io.fjord.ingester.replay;

/** A replay checkpoint object that cannot be read (bad magic, version, checksum or length); names the object. */
public final class CheckpointFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointFormatException(String objectName, String problem) {
    super("replay checkpoint " + objectName + ": " + problem);
  }
}
