package io.fjord.store;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The key rules every {@link ObjectStore} enforces, so that a key valid on one backend is valid on
 * all, and a key can never name a file outside a local store's directory. Stateless.
 */
public final class ObjectKeys {
  /** S3's limit on a key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  /** Orders keys by their UTF-8 bytes, as S3 lists them. */
  public static final Comparator<String> UTF8_ORDER = ObjectKeys::compareUtf8;

  private ObjectKeys() {}

  /** Returns {@code key} when it is valid; otherwise throws {@link IllegalArgumentException} saying why. */
  public static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key is empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("object key longer than " + MAX_KEY_BYTES + " bytes: " + key);
    }
    if (key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("object key must not start or end with '/': " + key);
    }
    checkChars(key);
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("object key has an empty, \".\" or \"..\" segment: " + key);
      }
    }
    return key;
  }

  /**
   * Returns {@code prefix} when it is a valid list prefix: empty, or the start of a valid key (it may
   * end with '/'); otherwise throws {@link IllegalArgumentException}.
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("list prefix is null");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    if (prefix.startsWith("/")) {
      throw new IllegalArgumentException("list prefix must not start with '/': " + prefix);
    }
    checkChars(prefix);
    String[] segments = prefix.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if ((s.isEmpty() && !last) || s.equals("..") || (s.equals(".") && !last)) {
        throw new IllegalArgumentException("list prefix has an empty, \".\" or \"..\" segment: " + prefix);
      }
    }
    return prefix;
  }

  /** Returns {@code prefix} when it is a valid list prefix that is empty or ends with '/'. */
  public static String checkDirectoryPrefix(String prefix) {
    checkPrefix(prefix);
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      throw new IllegalArgumentException("directory prefix must be empty or end with '/': " + prefix);
    }
    return prefix;
  }

  private static void checkChars(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw new IllegalArgumentException("object key holds a control character or a backslash: "
            + key.replace("\\", "\\\\").replaceAll("\\p{Cntrl}", "?"));
      }
    }
  }

  /** Checks the arguments of {@link ObjectStore#getRange}. */
  public static void checkRange(long offset, int length) {
    if (offset < 0 || length <= 0) {
      throw new IllegalArgumentException("range offset must be >= 0 and length > 0, got offset " + offset
          + " length " + length);
    }
  }

  static int compareUtf8(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }
}
