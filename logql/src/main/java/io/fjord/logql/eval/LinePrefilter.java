package io.fjord.logql.eval;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a line must hold for a pipeline to keep it, known before the pipeline runs: at least one
 * of a few literals, read from the pipeline's leading line filters ({@code |= "a" or "b"}, or a
 * {@code |~} whose every alternative needs a literal). A reader of stored lines can test the raw
 * UTF-8 bytes with {@link #mayKeep(byte[], int, int)} and skip a line (never decoding it) when
 * the answer is false; a true answer promises nothing, the pipeline still decides. Since UTF-8 is
 * self-synchronising, a literal's bytes occur in a line's bytes exactly when the literal occurs in
 * the line. {@link #NONE} (no literal known) keeps every line. Immutable and thread-safe.
 */
public final class LinePrefilter {
  /** No requirement: every line may be kept. */
  public static final LinePrefilter NONE = new LinePrefilter(List.of());

  private final List<String> literals;
  private final byte[][] utf8;

  private LinePrefilter(List<String> literals) {
    this.literals = List.copyOf(literals);
    this.utf8 = new byte[literals.size()][];
    for (int i = 0; i < utf8.length; i++) {
      utf8[i] = literals.get(i).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A line must contain one of {@code literals} (none empty); an empty list gives {@link #NONE}. */
  static LinePrefilter anyOf(List<String> literals) {
    for (String l : literals) {
      if (l.isEmpty()) {
        return NONE;
      }
    }
    return literals.isEmpty() ? NONE : new LinePrefilter(literals);
  }

  /** True when no literal is known, so every line must go through the pipeline. */
  public boolean isNone() {
    return literals.isEmpty();
  }

  /** The literals a kept line holds one of (empty for {@link #NONE}). */
  public List<String> literals() {
    return literals;
  }

  /** False only when the pipeline certainly drops {@code line}. */
  public boolean mayKeep(String line) {
    if (literals.isEmpty()) {
      return true;
    }
    for (String l : literals) {
      if (line.contains(l)) {
        return true;
      }
    }
    return false;
  }

  /** {@link #mayKeep(String)} on the line's UTF-8 bytes {@code buf[off, off + len)}. */
  public boolean mayKeep(byte[] buf, int off, int len) {
    if (utf8.length == 0) {
      return true;
    }
    for (byte[] l : utf8) {
      if (indexOf(buf, off, len, l) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The more selective of two requirements that both hold (the one whose shortest literal is longer). */
  LinePrefilter stricter(LinePrefilter other) {
    if (isNone()) {
      return other;
    }
    if (other.isNone()) {
      return this;
    }
    int mine = shortest();
    int theirs = other.shortest();
    if (mine != theirs) {
      return mine > theirs ? this : other;
    }
    return literals.size() <= other.literals.size() ? this : other;
  }

  private int shortest() {
    int min = Integer.MAX_VALUE;
    for (byte[] l : utf8) {
      min = Math.min(min, l.length);
    }
    return min;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The offset of {@code pattern} (not empty) in {@code buf[off, off + len)}, or -1. Reads eight
   * bytes at a time: a word of the bytes where the pattern would start and a word of the bytes
   * where it would end are compared with its first and last byte at once (SWAR: a byte equal to
   * the wanted one becomes zero, and zero bytes are flagged in their high bit), and only the
   * positions flagged in both are compared in full. Flags may be false (a borrow runs on above a
   * zero byte) but never missing, and each flagged position is checked.
   */
  static int indexOf(byte[] buf, int off, int len, byte[] pattern) {
    int m = pattern.length;
    int end = off + len;
    if (m > len) {
      return -1;
    }
    long first = (pattern[0] & 0xffL) * ONES;
    long last = (pattern[m - 1] & 0xffL) * ONES;
    int i = off;
    for (; i + m - 1 + Long.BYTES <= end; i += Long.BYTES) {
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
    for (int lastStart = end - m; i <= lastStart; i++) {
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

  @Override
  public String toString() {
    return isNone() ? "LinePrefilter[none]" : "LinePrefilter" + literals;
  }
}
