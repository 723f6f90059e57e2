package io.fjord.ingester.chunk;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Encodes a run of sorted entries into a {@link Block} and back. This is the in-memory block
 * layout, version 1; it never leaves the process. (The chunk format written to object storage,
 * with its own codecs and CRCs, is defined in schemas/FORMATS.md by the flush work and may reuse
 * this body.) The whole body is compressed with snappy (raw block format):
 *
 * <pre>
 * body  = version:u8(=1) | entryCount:uvarint | firstTs:i64 BE
 *         | ( tsDelta:uvarint | line:str | mdCount:uvarint | (name:str value:str)* ) * entryCount
 * str   = length:uvarint | UTF-8 bytes
 * tsDelta = ts - previous ts (0 for the first entry), as an unsigned 64-bit value; entries are
 *           sorted by timestamp, so it is small and never negative in practice
 * </pre>
 *
 * The block's min/max timestamp and entry count are kept beside the bytes in {@link Block}, so a
 * reader can skip a block without decompressing it. Stateless and thread-safe.
 */
public final class BlockCodec {
  static final byte VERSION = 1;

  private BlockCodec() {}

  /** Encodes {@code entries}, which must be sorted by timestamp and non-empty. */
  public static Block encode(List<LogEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a block needs at least one entry");
    }
    return encode(HeadRun.of(entries));
  }

  /** Encodes a head's entries (sorted by timestamp, non-empty), copying their UTF-8 lines as they are. */
  static Block encode(HeadRun entries) {
    int n = entries.size();
    if (n == 0) {
      throw new IllegalArgumentException("a block needs at least one entry");
    }
    long capacity = 64;
    for (int i = 0; i < n; i++) {
      capacity += 16 + entries.lineBytes(i); // exact for entries without metadata
    }
    byte[][] scratch = SCRATCH.get();
    Buf out = new Buf(scratch[0], (int) Math.min(capacity, Integer.MAX_VALUE - 64));
    out.put(VERSION);
    out.uvarint(n);
    long first = entries.ts(0);
    out.i64(first);
    long prev = first;
    long lineBytes = 0;
    boolean hasMetadata = false;
    byte[] lines = entries.lineArray();
    for (int i = 0; i < n; i++) {
      long ts = entries.ts(i);
      if (ts < prev) {
        throw new IllegalArgumentException("entries of a block must be sorted by timestamp");
      }
      out.uvarint(ts - prev);
      prev = ts;
      int len = (int) entries.lineBytes(i);
      out.bytes(lines, entries.lineStart(i), len);
      lineBytes += len;
      Labels md = entries.metadata(i);
      hasMetadata |= !md.isEmpty();
      out.uvarint(md.size());
      for (int j = 0; j < md.size(); j++) {
        out.str(md.name(j));
        out.str(md.value(j));
      }
    }
    byte[] compressed;
    try {
      int maxLength = Snappy.maxCompressedLength(out.len);
      byte[] max = scratch[1].length >= maxLength ? scratch[1] : new byte[maxLength];
      compressed = Arrays.copyOf(max, Snappy.rawCompress(out.buf, 0, out.len, max, 0));
      keep(scratch, out.buf, max);
    } catch (IOException e) {
      throw new UncheckedIOException("snappy compression failed", e);
    }
    return new Block(first, prev, n, lineBytes, compressed, hasMetadata);
  }

  /**
   * Per thread (the stream thread cuts blocks), the last body buffer and compression buffer, reused
   * for the next block: a block is ~256 KiB, and two fresh arrays of that size per cut (zeroed by
   * the JVM, then thrown away) were a tenth of the append path's CPU (bench/RESULTS.md, brief I).
   */
  private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[0], new byte[0]});
  /** Larger buffers (a block of a few huge lines) are not kept. */
  private static final int MAX_SCRATCH = 4 << 20;

  private static void keep(byte[][] scratch, byte[] body, byte[] compressed) {
    if (body.length <= MAX_SCRATCH) {
      scratch[0] = body;
    }
    if (compressed.length <= MAX_SCRATCH) {
      scratch[1] = compressed;
    }
  }

  /** Decompresses and decodes a block; its lines stay UTF-8 bytes until read. */
  public static EntryRun decode(Block block) {
    return decodeBlock(block);
  }

  /** As {@link #decode}, with access to the body the lines lie in. */
  static DecodedBlock decodeBlock(Block block) {
    byte[] body;
    try {
      body = Snappy.uncompress(block.compressed());
    } catch (IOException e) {
      throw new IllegalStateException("corrupt memory block: " + e.getMessage(), e);
    }
    In in = new In(body);
    if (in.u8() != VERSION) {
      throw new IllegalStateException("unknown memory block version");
    }
    int n = (int) in.uvarint();
    if (n != block.entries()) {
      throw new IllegalStateException("memory block holds " + n + " entries, expected " + block.entries());
    }
    long[] ts = new long[n];
    int[] lineOffsets = new int[n];
    int[] lineLengths = new int[n];
    Labels[] md = new Labels[n];
    long prev = in.i64();
    for (int i = 0; i < n; i++) {
      prev += in.uvarint();
      ts[i] = prev;
      int len = (int) in.uvarint();
      if (len < 0 || len > body.length - in.pos) {
        throw new IllegalStateException("memory block line runs past its end");
      }
      lineOffsets[i] = in.pos;
      lineLengths[i] = len;
      in.pos += len; // lines become strings only when read (DecodedBlock)
      int mdCount = (int) in.uvarint();
      if (mdCount == 0) {
        md[i] = Labels.EMPTY;
      } else {
        List<String[]> pairs = new ArrayList<>(mdCount);
        for (int j = 0; j < mdCount; j++) {
          pairs.add(new String[] {in.str(), in.str()});
        }
        md[i] = Labels.ofPairs(pairs);
      }
    }
    if (in.pos != body.length) {
      throw new IllegalStateException("memory block has trailing bytes");
    }
    return new DecodedBlock(ts, body, lineOffsets, lineLengths, md);
  }

  /** A growable output buffer; single-threaded. */
  private static final class Buf {
    byte[] buf;
    int len;

    /** Writes into {@code initial} when it holds {@code capacity} bytes, else into a new array of that size. */
    Buf(byte[] initial, int capacity) {
      buf = initial.length >= capacity ? initial : new byte[capacity];
    }

    private void ensure(int extra) {
      if (len + extra > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
      }
    }

    void put(byte b) {
      ensure(1);
      buf[len++] = b;
    }

    void uvarint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[len++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
    }

    void i64(long v) {
      ensure(8);
      for (int i = 7; i >= 0; i--) {
        buf[len++] = (byte) (v >>> (8 * i));
      }
    }

    /** Writes a string and returns its UTF-8 length. */
    int str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      bytes(b, 0, b.length);
      return b.length;
    }

    /** Writes {@code n} bytes of {@code b} from {@code off} as a str (length, then the bytes). */
    void bytes(byte[] b, int off, int n) {
      uvarint(n);
      ensure(n);
      System.arraycopy(b, off, buf, len, n);
      len += n;
    }
  }

  /** A reader over a decompressed body; single-threaded. Bounds errors surface as exceptions. */
  private static final class In {
    final byte[] buf;
    int pos;

    In(byte[] buf) {
      this.buf = buf;
    }

    int u8() {
      return buf[pos++] & 0xff;
    }

    long uvarint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = buf[pos++];
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalStateException("memory block varint too long");
    }

    long i64() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (buf[pos++] & 0xff);
      }
      return v;
    }

    String str() {
      int n = (int) uvarint();
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }
  }
}
