package io.fjord.schemas.labels;

import java.nio.charset.StandardCharsets;

/**
 * A stream's 64-bit fingerprint: FNV-1a over the sorted labels, each name and value followed by
 * the byte 0xFF (which never occurs in UTF-8, so {@code a="bc"} and {@code ab="c"} differ).
 * It partitions the logs topic and keys the inverted index; two label sets that collide are still
 * told apart by their labels, which the index keeps beside the fingerprint. Stable across
 * versions: changing it re-partitions every stream. Stateless.
 */
public final class Fingerprint {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Fingerprint() {}

  public static long of(Labels labels) {
    long h = OFFSET;
    for (int i = 0; i < labels.size(); i++) {
      h = mix(h, labels.name(i));
      h = mix(h, labels.value(i));
    }
    return h;
  }

  private static long mix(long h, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      h ^= (b & 0xff);
      h *= PRIME;
    }
    h ^= 0xff;
    h *= PRIME;
    return h;
  }

  /** The fingerprint as 16 lower-case hex digits, as used in object keys and logs. */
  public static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }
}
