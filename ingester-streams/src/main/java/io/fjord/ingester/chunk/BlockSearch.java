package io.fjord.ingester.chunk;

import io.fjord.schemas.chunk.ByteSearch;
import java.util.List;

/**
 * Finds the lines of a decoded memory block that hold one of a prefilter's literals by searching
 * the block body once per literal, from line to line only where a hit lies, instead of one search
 * per line: most lines of a selective query hold no hit, and a search over a whole block costs a
 * fraction of a call per line (the e2e in-memory {@code |= "needle"} scan spent 22% of its CPU in
 * the per-line search). A hit that starts in the framing between two lines, or runs past the end of
 * its line, is not a line's; the search goes on after its first byte. The answer is exactly the lines
 * {@code LinePrefilter.mayKeep} keeps. Pure; thread-safe.
 */
final class BlockSearch {
  private BlockSearch() {}

  /**
   * @param literals byte strings, none empty
   * @return for every line of {@code block} (by index), whether one of lines {@code lo..hi-1}
   *     holds one of {@code literals}; lines outside {@code [lo, hi)} are false
   */
  static boolean[] linesHolding(DecodedBlock block, int lo, int hi, List<byte[]> literals) {
    boolean[] keep = new boolean[block.size()];
    byte[] body = block.body();
    int end = block.lineOffset(hi - 1) + (int) block.lineBytes(hi - 1);
    for (byte[] literal : literals) {
      int at = block.lineOffset(lo);
      int line = lo;
      while (line < hi) {
        int hit = ByteSearch.indexOf(body, at, end, literal);
        if (hit < 0) {
          break;
        }
        line = lineAt(block, hit, line, hi);
        int lineEnd = block.lineOffset(line) + (int) block.lineBytes(line);
        if (hit >= block.lineOffset(line) && hit + literal.length <= lineEnd) {
          keep[line] = true;
          line++;
          at = lineEnd;
        } else {
          at = hit + 1;
        }
      }
    }
    return keep;
  }

  /** The last line in {@code [from, hi)} that starts at or before {@code offset} ({@code from} if none does). */
  private static int lineAt(DecodedBlock block, int offset, int from, int hi) {
    int lo = from;
    int top = hi - 1;
    while (lo < top) {
      int mid = (lo + top + 1) >>> 1;
      if (block.lineOffset(mid) <= offset) {
        lo = mid;
      } else {
        top = mid - 1;
      }
    }
    return lo;
  }
}
