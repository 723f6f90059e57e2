package io.fjord.schemas.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches in byte arrays eight bytes at a time (SWAR): a byte string, and the line feeds of a v2
 * block's line region (the first, the k-th one from a position, the last one before a position). Used by the
 * block reader to search a whole block for a filter's literals, and by the query's line prefilter.
 * Stateless static methods; thread-safe.
 */
public final class ByteSearch {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LOWS7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long LF_REPEATED = 0x0A0A0A0A0A0A0A0AL;

  private ByteSearch() {}

  /**
   * The offset of the first occurrence of {@code pattern} (not empty) in {@code buf[from, to)}, or
   * -1. Reads eight bytes at a time: a word of the bytes where the pattern would start and a word of
   * the bytes where it would end are compared with its first and last byte at once (a byte equal to
   * the wanted one becomes zero, and zero bytes are flagged in their high bit), and only the
   * positions flagged in both are compared in full. Flags may be false (a borrow runs on above a
   * zero byte) but never missing, and each flagged position is checked in order.
   */
  public static int indexOf(byte[] buf, int from, int to, byte[] pattern) {
    int m = pattern.length;
    if (m > to - from) {
      return -1;
    }
    long first = (pattern[0] & 0xffL) * ONES;
    long last = (pattern[m - 1] & 0xffL) * ONES;
    int i = from;
    for (; i + m - 1 + Long.BYTES <= to; i += Long.BYTES) {
      long a = (long) LONGS.get(buf, i) ^ first;
      long b = (long) LONGS.get(buf, i + m - 1) ^ last;
      long hits = (a - ONES) & ~a & (b - ONES) & ~b & HIGHS;
      while (hits != 0) {
        int at = i + (Long.numberOfTrailingZeros(hits) >>> 3);
        if (matches(buf, at, pattern)) {
          return at;
        }
        hits &= hits - 1;
      }
    }
    for (int lastStart = to - m; i <= lastStart; i++) {
      if (buf[i] == pattern[0] && matches(buf, i, pattern)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean matches(byte[] buf, int at, byte[] pattern) {
    for (int j = 0; j < pattern.length; j++) {
      if (buf[at + j] != pattern[j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where the first line feed in {@code buf[from, to)} is, or -1: eight bytes at a time (a zero
   * byte of {@code word ^ 0x0a...} marks a line feed), then byte by byte for the tail.
   */
  static int indexOfLineFeed(byte[] buf, int from, int to) {
    int i = from;
    for (; i + 16 <= to; i += 16) { // two words a round: one branch per 16 bytes
      long x = (long) LONGS.get(buf, i) ^ LF_REPEATED;
      long y = (long) LONGS.get(buf, i + 8) ^ LF_REPEATED;
      long fx = (x - ONES) & ~x & HIGHS;
      long fy = (y - ONES) & ~y & HIGHS;
      if ((fx | fy) != 0) {
        return fx != 0 ? i + (Long.numberOfTrailingZeros(fx) >>> 3) : i + 8 + (Long.numberOfTrailingZeros(fy) >>> 3);
      }
    }
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(buf, i) ^ LF_REPEATED;
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The high bit of each byte of {@code word} that is a line feed, exactly (no borrow between bytes). */
  private static long lineFeeds(long word) {
    long x = word ^ LF_REPEATED;
    return ~(((x & LOWS7) + LOWS7) | x | LOWS7);
  }

  /**
   * Where the {@code k}-th (k >= 1) line feed of {@code buf[from, to)} is; when there are fewer,
   * {@code -1 - found} (found = how many there are). Counts 32 bytes a round (four words' line
   * feeds summed, one branch) while the k-th lies further on, then eight bytes at a time.
   */
  static int nthLineFeed(byte[] buf, int from, int to, int k) {
    int left = k;
    int i = from;
    for (; i + 32 <= to; i += 32) {
      int c = Long.bitCount(lineFeeds((long) LONGS.get(buf, i)))
          + Long.bitCount(lineFeeds((long) LONGS.get(buf, i + 8)))
          + Long.bitCount(lineFeeds((long) LONGS.get(buf, i + 16)))
          + Long.bitCount(lineFeeds((long) LONGS.get(buf, i + 24)));
      if (c >= left) {
        break; // the k-th is in this round
      }
      left -= c;
    }
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long f = lineFeeds((long) LONGS.get(buf, i));
      int c = Long.bitCount(f);
      if (c >= left) {
        for (int skip = left - 1; skip > 0; skip--) {
          f &= f - 1;
        }
        return i + (Long.numberOfTrailingZeros(f) >>> 3);
      }
      left -= c;
    }
    for (; i < to; i++) {
      if (buf[i] == '\n' && --left == 0) {
        return i;
      }
    }
    return -1 - (k - left);
  }

  /** Where the last line feed of {@code buf[from, to)} is, or -1; eight bytes at a time from the end. */
  static int lastLineFeed(byte[] buf, int from, int to) {
    int i = to;
    for (; i - Long.BYTES >= from; i -= Long.BYTES) {
      long f = lineFeeds((long) LONGS.get(buf, i - Long.BYTES));
      if (f != 0) {
        return i - Long.BYTES + ((63 - Long.numberOfLeadingZeros(f)) >>> 3);
      }
    }
    for (i--; i >= from; i--) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
