package io.fjord.ingester.chunk;

/** Counts the UTF-8 length of a string without encoding it. Stateless. */
public final class Utf8 {
  private Utf8() {}

  public static int length(String s) {
    int n = s.length();
    int len = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          len += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          len += 2; // the pair is 4 bytes for 2 chars
          i++;
        } else if (Character.isSurrogate(c)) {
          // a lone surrogate is encoded as '?' (1 byte)
        } else {
          len += 2;
        }
      }
    }
    return len;
  }
}
