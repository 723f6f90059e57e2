package io.fjord.schemas.chunk;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian output buffer with the primitives of Fjord's binary formats (fixed-width
 * integers, uvarint, length-prefixed UTF-8). Reused across blocks by {@link ChunkEncoder}.
 * Single-threaded.
 */
public final class ByteWriter extends OutputStream {
  byte[] buf;
  int len;

  public ByteWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  /** Makes room for {@code extra} more bytes at {@link #len}. */
  void ensure(int extra) {
    long need = (long) len + extra;
    if (need > buf.length) {
      if (need > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("chunk larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) Math.max(Math.min((long) buf.length * 2, Integer.MAX_VALUE - 16), need));
    }
  }

  void reset() {
    len = 0;
  }

  @Override
  public void write(int b) {
    u8(b);
  }

  @Override
  public void write(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  public void u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
  }

  public void u32(int v) {
    ensure(4);
    putU32(buf, len, v);
    len += 4;
  }

  public void i64(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  public void uvarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
  }

  /** Writes {@code s} as uvarint length + UTF-8 bytes; returns the UTF-8 length. */
  public int str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    uvarint(b.length);
    write(b, 0, b.length);
    return b.length;
  }

  /** Writes {@code s} as UTF-8 bytes, without a length; returns their number. */
  int utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    write(b, 0, b.length);
    return b.length;
  }

  /** How many bytes {@link #uvarint} takes for {@code v}. */
  static int uvarintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** The bytes written so far ({@link #size()} of them); valid until the next write. */
  public byte[] buffer() {
    return buf;
  }

  /** How many bytes have been written. */
  public int size() {
    return len;
  }

  static void putU32(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  public byte[] toArray() {
    return Arrays.copyOf(buf, len);
  }
}
