package io.fjord.schemas.record;

import io.fjord.schemas.labels.Labels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes the logs-topic record, version 1 (layout in schemas/FORMATS.md).
 *
 * <pre>
 * key   = version:u8(=1) | fingerprint:u64 BE | tenant:utf8 (rest of key)
 *
 * value = magic:"FJ" | version:u8(=1) | flags:u8(=0)
 *         | tenant:str | labelCount:uvarint | (name:str value:str)*
 *         | entryCount:uvarint
 *         | ( timestampNanos:i64 BE | line:str | mdCount:uvarint | (name:str value:str)* )*
 *         | crc32c:u32 BE   (over every byte before it)
 * str   = length:uvarint | UTF-8 bytes
 * </pre>
 *
 * The key makes Kafka's default partitioner put every record of a stream on one partition. The
 * value is self-contained (tenant and labels are repeated) so a reader never needs the key.
 * Stateless and thread-safe.
 */
public final class LogRecordCodec {
  public static final byte KEY_VERSION = 1;
  public static final byte VALUE_VERSION = 1;
  static final byte MAGIC_0 = 'F';
  static final byte MAGIC_1 = 'J';
  /** Guards decoding against absurd counts in a corrupt or hostile record. */
  private static final int MAX_COUNT = 10_000_000;

  private LogRecordCodec() {}

  public static byte[] encodeKey(String tenant, long fingerprint) {
    byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(9 + t.length).put(KEY_VERSION).putLong(fingerprint).put(t).array();
  }

  /** The fingerprint a key carries. */
  public static long keyFingerprint(byte[] key) {
    if (key == null || key.length < 9 || key[0] != KEY_VERSION) {
      throw new RecordFormatException("unreadable record key (expected version " + KEY_VERSION + ")");
    }
    return ByteBuffer.wrap(key, 1, 8).getLong();
  }

  public static byte[] encodeValue(StreamBatch batch) {
    Writer w = new Writer(capacityHint(batch));
    w.raw(MAGIC_0).raw(MAGIC_1).raw(VALUE_VERSION).raw((byte) 0);
    w.str(batch.tenant());
    labels(w, batch.labels());
    w.uvarint(batch.entries().size());
    for (LogEntry e : batch.entries()) {
      w.i64(e.timestampNanos());
      w.str(e.line());
      labels(w, e.metadata());
    }
    CRC32C crc = new CRC32C();
    crc.update(w.buf, 0, w.len);
    w.i32((int) crc.getValue());
    return w.toArray();
  }

  /**
   * A buffer size that holds the whole value when its strings are ASCII (the usual case), so that
   * encoding grows the buffer at most once instead of doubling from a guess; counted from string
   * lengths alone, without a pass over their characters.
   */
  private static int capacityHint(StreamBatch batch) {
    long size = 64 + batch.tenant().length() + labelChars(batch.labels());
    for (LogEntry e : batch.entries()) {
      size += 8 + 5 + e.line().length() + 1 + (e.metadata().isEmpty() ? 0 : labelChars(e.metadata()));
    }
    return (int) Math.min(size, Integer.MAX_VALUE - 64);
  }

  private static long labelChars(Labels labels) {
    long n = 5;
    for (int i = 0; i < labels.size(); i++) {
      n += 10 + labels.name(i).length() + labels.value(i).length();
    }
    return n;
  }

  public static StreamBatch decodeValue(byte[] value) {
    int bodyLen = checkedBodyLength(value);
    Reader r = new Reader(value, 4, bodyLen);
    String tenant = r.str();
    Labels labels = labels(r);
    int n = r.count();
    List<LogEntry> entries = new ArrayList<>(Math.min(n, 4096));
    for (int i = 0; i < n; i++) {
      long ts = r.i64();
      String line = r.str();
      entries.add(new LogEntry(ts, line, labels(r)));
    }
    if (r.pos != bodyLen) {
      throw new RecordFormatException("log record has " + (bodyLen - r.pos) + " unread bytes");
    }
    return new StreamBatch(tenant, labels, entries);
  }

  /**
   * Decodes a value as {@link #decodeValue} does (same checks, same errors) into a view whose lines
   * are slices of {@code value} instead of strings: an ASCII line is not copied at all, any other
   * line is decoded and encoded again, so that its bytes are exactly what {@code decodeValue}'s line
   * encodes to (invalid UTF-8 becomes U+FFFD there). {@code value} must not change afterwards.
   */
  public static LogRecordView decodeView(byte[] value) {
    int bodyLen = checkedBodyLength(value);
    Reader r = new Reader(value, 4, bodyLen);
    String tenant = r.str();
    Labels labels = labels(r);
    int n = r.count();
    long[] ts = new long[n];
    byte[][] arrays = new byte[n][];
    int[] offsets = new int[n];
    int[] lengths = new int[n];
    Labels[] md = null;
    for (int i = 0; i < n; i++) {
      ts[i] = r.i64();
      int len = r.strLength();
      int at = r.pos;
      r.pos += len;
      if (isAscii(value, at, len)) {
        arrays[i] = value;
        offsets[i] = at;
        lengths[i] = len;
      } else {
        byte[] utf8 = new String(value, at, len, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        arrays[i] = utf8;
        lengths[i] = utf8.length;
      }
      Labels m = labels(r);
      if (!m.isEmpty()) {
        if (md == null) {
          md = new Labels[n];
          java.util.Arrays.fill(md, Labels.EMPTY);
        }
        md[i] = m;
      }
    }
    if (r.pos != bodyLen) {
      throw new RecordFormatException("log record has " + (bodyLen - r.pos) + " unread bytes");
    }
    return new LogRecordView(tenant, labels, n, ts, arrays, offsets, lengths, md);
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** Whether {@code [from, from + len)} holds only bytes below 0x80, tested 8 bytes at a time. */
  static boolean isAscii(byte[] b, int from, int len) {
    int i = from;
    int end = from + len;
    long any = 0;
    for (; i + 8 <= end; i += 8) {
      any |= (long) LONGS.get(b, i);
    }
    for (; i < end; i++) {
      any |= b[i];
    }
    return (any & HIGH_BITS) == 0;
  }

  /** Checks magic, version and checksum; returns the length of the value before its checksum. */
  private static int checkedBodyLength(byte[] value) {
    if (value == null) {
      throw new RecordFormatException("record has no value");
    }
    if (value.length < 8) {
      throw new RecordFormatException("record too short: " + value.length + " bytes");
    }
    if (value[0] != MAGIC_0 || value[1] != MAGIC_1) {
      throw new RecordFormatException("not a Fjord log record (bad magic)");
    }
    if (value[2] != VALUE_VERSION) {
      throw new RecordFormatException("unsupported log record version " + (value[2] & 0xff)
          + " (this reader knows version " + VALUE_VERSION + ")");
    }
    int bodyLen = value.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(value, 0, bodyLen);
    int expected = ByteBuffer.wrap(value, bodyLen, 4).getInt();
    if ((int) crc.getValue() != expected) {
      throw new RecordFormatException("log record checksum mismatch");
    }
    return bodyLen;
  }

  private static void labels(Writer w, Labels labels) {
    w.uvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      w.str(labels.name(i));
      w.str(labels.value(i));
    }
  }

  private static Labels labels(Reader r) {
    int n = r.count();
    if (n == 0) {
      return Labels.EMPTY;
    }
    List<String[]> pairs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pairs.add(new String[] {r.str(), r.str()});
    }
    try {
      return Labels.ofPairs(pairs);
    } catch (IllegalArgumentException e) {
      throw new RecordFormatException("log record labels: " + e.getMessage());
    }
  }

  /** A growable output buffer; single-threaded. */
  private static final class Writer {
    byte[] buf;
    int len;

    Writer(int capacity) {
      buf = new byte[capacity];
    }

    private void ensure(int extra) {
      if (len + extra > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
      }
    }

    Writer raw(byte b) {
      ensure(1);
      buf[len++] = b;
      return this;
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

    void i32(int v) {
      ensure(4);
      for (int i = 3; i >= 0; i--) {
        buf[len++] = (byte) (v >>> (8 * i));
      }
    }

    void str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      uvarint(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    byte[] toArray() {
      return java.util.Arrays.copyOf(buf, len);
    }
  }

  /** A bounds-checked reader over part of an array; single-threaded. */
  private static final class Reader {
    final byte[] buf;
    int pos;
    final int limit;

    Reader(byte[] buf, int pos, int limit) {
      this.buf = buf;
      this.pos = pos;
      this.limit = limit;
    }

    long uvarint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= limit) {
          throw new RecordFormatException("log record truncated in a varint");
        }
        byte b = buf[pos++];
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new RecordFormatException("log record varint too long");
    }

    int count() {
      long n = uvarint();
      if (n < 0 || n > MAX_COUNT || n > limit - pos) {
        throw new RecordFormatException("log record count " + n + " out of range");
      }
      return (int) n;
    }

    long i64() {
      if (limit - pos < 8) {
        throw new RecordFormatException("log record truncated in a timestamp");
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (buf[pos++] & 0xff);
      }
      return v;
    }

    /** The length of the string that starts here, checked against the record; leaves pos at its bytes. */
    int strLength() {
      long n = uvarint();
      if (n < 0 || n > limit - pos) {
        throw new RecordFormatException("log record string of " + n + " bytes overruns the record");
      }
      return (int) n;
    }

    String str() {
      int n = strLength();
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }
  }
}
