package io.fjord.logql.eval;

import io.fjord.schemas.chunk.ByteSearch;
import io.fjord.schemas.chunk.LineFilter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a line must hold for a pipeline to keep it, known before the pipeline runs: at least one
 * of a few literals, read from the pipeline's leading line filters ({@code |= "a" or "b"}, or a
 * {@code |~} whose every alternative needs a literal). A reader of stored lines can test the raw
 * UTF-8 bytes with {@link #mayKeep(byte[], int, int)} and skip a line (never decoding it) when
 * the answer is false; a true answer promises nothing, the pipeline still decides. Since UTF-8 is
 * self-synchronising, a literal's bytes occur in a line's bytes exactly when the literal occurs in
 * the line. {@link #NONE} (no literal known) keeps every line. As a chunk {@link LineFilter} it names
 * its literals' bytes as {@link #requiredLiterals()}, so a v2 block reader searches a whole block for
 * them at once. Immutable and thread-safe.
 */
public final class LinePrefilter implements LineFilter {
  /** No requirement: every line may be kept. */
  public static final LinePrefilter NONE = new LinePrefilter(List.of());

  private final List<String> literals;
  private final byte[][] utf8;
  private final List<byte[]> utf8List;

  private LinePrefilter(List<String> literals) {
    this.literals = List.copyOf(literals);
    this.utf8 = new byte[literals.size()][];
    for (int i = 0; i < utf8.length; i++) {
      utf8[i] = literals.get(i).getBytes(StandardCharsets.UTF_8);
    }
    this.utf8List = List.of(utf8);
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

  /** The UTF-8 bytes of {@link #literals()} (empty for {@link #NONE}); not to be modified. */
  @Override
  public List<byte[]> requiredLiterals() {
    return utf8List;
  }

  /** {@link #mayKeep(String)} on the line's UTF-8 bytes {@code buf[off, off + len)}. */
  @Override
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

  /** The offset of {@code pattern} (not empty) in {@code buf[off, off + len)}, or -1 ({@link ByteSearch#indexOf}). */
  static int indexOf(byte[] buf, int off, int len, byte[] pattern) {
    return ByteSearch.indexOf(buf, off, off + len, pattern);
  }

  @Override
  public String toString() {
    return isNone() ? "LinePrefilter[none]" : "LinePrefilter" + literals;
  }
}
