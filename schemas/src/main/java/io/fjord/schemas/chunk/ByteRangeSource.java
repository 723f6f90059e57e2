package io.fjord.schemas.chunk;

/**
 * Reads a byte range of one stored chunk object: an S3 ranged GET, a positioned file read, or a
 * slice of an array already in memory. {@link ChunkReader#open} asks for the tail first (trailer and
 * footer), then one range per block it decodes. Failures of the underlying store surface as that
 * store's own unchecked exceptions. Implementations say their own thread-safety.
 */
@FunctionalInterface
public interface ByteRangeSource {
  /** Exactly {@code length} bytes starting at {@code offset}; the range lies inside the object. */
  byte[] read(long offset, int length);
}
