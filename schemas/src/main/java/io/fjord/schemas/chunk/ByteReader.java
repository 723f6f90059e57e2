package io.fjord.schemas.chunk;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A bounds-checked big-endian reader over part of an array, with the primitives of Fjord's binary
 * formats (fixed-width integers, uvarint, length-prefixed UTF-8). Every overrun is the format's own
 * exception naming the object and the structure being read (a {@link ChunkFormatException} for
 * chunks), never an {@code ArrayIndexOutOfBoundsException}. Single-threaded.
 */
public final class ByteReader {
  final byte[] buf;
  int pos;
  final int limit;
  private final Function<String, ? extends RuntimeException> errors;

  ByteReader(byte[] buf, int pos, int limit, String objectName, String where) {
    this(buf, pos, limit, reason -> new ChunkFormatException(objectName, where + ": " + reason));
  }

  /**
   * Reads {@code buf[pos, limit)}; {@code errors} turns a reason (e.g. "truncated in label name")
   * into the exception the format throws.
   */
  public ByteReader(byte[] buf, int pos, int limit, Function<String, ? extends RuntimeException> errors) {
    this.buf = buf;
    this.pos = pos;
    this.limit = limit;
    this.errors = errors;
  }

  /** The format's exception for {@code reason}, to throw. */
  public RuntimeException error(String reason) {
    return errors.apply(reason);
  }

  public int remaining() {
    return limit - pos;
  }

  private void need(int n, String what) {
    if (limit - pos < n) {
      throw error("truncated in " + what);
    }
  }

  public int u8(String what) {
    need(1, what);
    return buf[pos++] & 0xff;
  }

  /** An unsigned 32-bit value that must fit an int (the format never stores larger ones). */
  public int u32(String what) {
    need(4, what);
    int v = getU32(buf, pos);
    pos += 4;
    if (v < 0) {
      throw error(what + " " + Integer.toUnsignedString(v) + " out of range");
    }
    return v;
  }

  public int rawU32(String what) {
    need(4, what);
    int v = getU32(buf, pos);
    pos += 4;
    return v;
  }

  public long i64(String what) {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  public long uvarint(String what) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw error("truncated in " + what);
      }
      byte b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw error(what + " varint too long");
  }

  /** A count that must be at most {@code max}. */
  public int count(String what, long max) {
    long n = uvarint(what);
    if (n < 0 || n > max) {
      throw error(what + " " + Long.toUnsignedString(n) + " out of range");
    }
    return (int) n;
  }

  public String str(String what) {
    long n = uvarint(what);
    if (n < 0 || n > limit - pos) {
      throw error(what + " of " + Long.toUnsignedString(n) + " bytes overruns its structure");
    }
    String s = new String(buf, pos, (int) n, StandardCharsets.UTF_8);
    pos += (int) n;
    return s;
  }

  static int getU32(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }
}
