package io.fjord.schemas.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * A cheap test a reader runs on a line's raw UTF-8 bytes before it builds the line: false means the
 * query cannot keep the line (e.g. it lacks a literal every kept line holds), so the entry is passed
 * over without decoding it. Must never say false for a line the query would keep. A filter may also
 * name, in {@link #requiredLiterals()}, byte strings of which every line it keeps holds one: a
 * version 2 block reader then searches the block's whole line region for them at once and calls
 * {@link #mayKeep} only on the lines around a hit. Implementations are stateless or thread-confined.
 */
@FunctionalInterface
public interface LineFilter {
  /** Keeps every line. */
  LineFilter ALL = (buf, off, len) -> true;

  /** Whether the line {@code buf[off, off + len)} may be kept. */
  boolean mayKeep(byte[] buf, int off, int len);

  /**
   * Byte strings (none empty, not to be modified) such that {@link #mayKeep} is false for every line
   * that contains none of them; empty (the default) when the filter cannot say, and then every line
   * is passed to {@link #mayKeep}.
   */
  default List<byte[]> requiredLiterals() {
    return List.of();
  }

  /**
   * Keeps exactly the lines that contain one of {@code literals} (an empty literal, or none at all,
   * gives {@link #ALL}), and names them as its {@link #requiredLiterals()}.
   */
  static LineFilter containingAny(List<byte[]> literals) {
    List<byte[]> copy = new ArrayList<>(literals.size());
    for (byte[] l : literals) {
      if (l.length == 0) {
        return ALL;
      }
      copy.add(l.clone());
    }
    if (copy.isEmpty()) {
      return ALL;
    }
    List<byte[]> fixed = List.copyOf(copy);
    return new LineFilter() {
      @Override
      public boolean mayKeep(byte[] buf, int off, int len) {
        for (byte[] l : fixed) {
          if (ByteSearch.indexOf(buf, off, off + len, l) >= 0) {
            return true;
          }
        }
        return false;
      }

      @Override
      public List<byte[]> requiredLiterals() {
        return fixed;
      }
    };
  }

  /** Counts what a {@link LineFilter} passed over. Single-threaded. */
  final class Skipped {
    private long entries;
    private long bytes;

    void add(int lineBytes) {
      entries++;
      bytes += lineBytes;
    }

    void add(long entryCount, long lineBytes) {
      entries += entryCount;
      bytes += lineBytes;
    }

    /** Entries in range passed over. */
    public long entries() {
      return entries;
    }

    /** The UTF-8 bytes of their lines. */
    public long bytes() {
      return bytes;
    }
  }
}
