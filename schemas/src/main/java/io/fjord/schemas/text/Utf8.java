package io.fjord.schemas.text;

/**
 * The number of bytes a string takes in UTF-8, counted without encoding it, exactly as
 * {@code String.getBytes(UTF_8)} (and so every Fjord format) encodes it: an unpaired surrogate
 * becomes the one replacement byte '?'. Used wherever lines are measured on a hot path (limits,
 * record sizes, block cuts, scan statistics, bytes_over_time). Stateless.
 */
public final class Utf8 {
  private Utf8() {}

  public static long length(String s) {
    int n = s.length();
    long bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        bytes += 1;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 2; // 4 bytes for the pair of 2 chars
        i++;
      } else if (!Character.isSurrogate(c)) {
        bytes += 2;
      }
    }
    return bytes;
  }
}
