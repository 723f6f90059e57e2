package io.fjord.store;

import io.fjord.schemas.chunk.ByteRangeSource;
import java.util.List;
import java.util.Optional;

/**
 * Where sealed chunks (and later the chunk index) are kept: a flat namespace of immutable-by-use
 * objects under keys such as {@code fake/chunks/<fingerprint>/<from>-<through>-<crc>}. Deliberately
 * narrow, so that a local directory and S3 (or any S3-compatible store) implement the same contract,
 * checked by one test against both.
 *
 * <p>Keys are 1 to 1024 UTF-8 bytes of '/'-separated segments; no segment is empty, "." or "..", and
 * no key starts or ends with '/' or holds a backslash or a control character ({@link ObjectKeys}).
 * Other keys are refused with an {@link IllegalArgumentException} before any I/O. Failures are typed:
 * {@link ObjectNotFoundException} for a missing object where one is required, and
 * {@link ObjectStoreUnavailableException} for everything the caller may retry (network, server
 * errors, throttling, a full disk). Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

  /** Stores {@code bytes} under {@code key}, replacing any object there. Readers see all of it or none. */
  void put(String key, byte[] bytes);

  /** The whole object, or empty when there is none under {@code key}. */
  Optional<byte[]> get(String key);

  /**
   * The bytes {@code [offset, offset + length)} of the object, cut short at its end (an offset at or
   * past the end gives no bytes).
   *
   * @throws ObjectNotFoundException when there is no object under {@code key}
   * @throws IllegalArgumentException when {@code offset} is negative or {@code length} not positive
   */
  byte[] getRange(String key, long offset, int length);

  /** Every key that starts with {@code prefix} ("" for all), in UTF-8 byte order; pages internally. */
  List<String> list(String prefix);

  /**
   * The distinct "directories" one level below {@code prefix} (empty, or ending with '/'): every
   * {@code prefix + segment + "/"} that starts some key, in UTF-8 byte order, as S3 lists common
   * prefixes with the delimiter '/'. Lets a caller walk {@code <tenant>/index/<period>/} without
   * listing every chunk. The default derives them from {@link #list}; stores override it with a
   * cheaper call.
   *
   * @throws IllegalArgumentException when {@code prefix} is neither empty nor ends with '/'
   */
  default List<String> listPrefixes(String prefix) {
    ObjectKeys.checkDirectoryPrefix(prefix);
    java.util.TreeSet<String> out = new java.util.TreeSet<>(ObjectKeys.UTF8_ORDER);
    for (String key : list(prefix)) {
      int slash = key.indexOf('/', prefix.length());
      if (slash > 0) {
        out.add(key.substring(0, slash + 1));
      }
    }
    return List.copyOf(out);
  }

  /** Removes the object under {@code key}; removing a missing object is not an error. */
  void delete(String key);

  /** Reads {@code key} by byte ranges, for {@code ChunkReader.open(key, size, store.ranges(key))}. */
  default ByteRangeSource ranges(String key) {
    return (offset, length) -> getRange(key, offset, length);
  }

  /** Releases clients and connections; the store cannot be used afterwards. */
  @Override
  void close();
}
