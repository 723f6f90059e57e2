package io.fjord.schemas.chunk;

/**
 * A cheap test a reader runs on a line's raw UTF-8 bytes before it builds the line: false means the
 * query cannot keep the line (e.g. it lacks a literal every kept line holds), so the entry is passed
 * over without decoding it. Must never say false for a line the query would keep. Implementations
 * are stateless or thread-confined.
 */
@FunctionalInterface
public interface LineFilter {
  /** Keeps every line. */
  LineFilter ALL = (buf, off, len) -> true;

  /** Whether the line {@code buf[off, off + len)} may be kept. */
  boolean mayKeep(byte[] buf, int off, int len);

  /** Counts what a {@link LineFilter} passed over. Single-threaded. */
  final class Skipped {
    private long entries;
    private long bytes;

    void add(int lineBytes) {
      entries++;
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
