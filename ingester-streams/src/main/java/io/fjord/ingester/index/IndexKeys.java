package io.fjord.ingester.index;

import io.fjord.schemas.labels.Labels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layout of the inverted-index keys in RocksDB. Every part has a fixed-width big-endian
 * length or value, and the tenant comes first, so RocksDB's bytewise order groups keys by tenant,
 * then label name, then value, then fingerprint, and a prefix scan can never reach another tenant
 * or another name (a length precedes every string, so {@code app} is not a prefix of
 * {@code apple}).
 *
 * <pre>
 * posting key = 'P' | tenantLen:u16 | tenant | nameLen:u16 | name | valueLen:u32 | value | fp:u64
 * posting val = (empty)
 * series key  = 'S' | tenantLen:u16 | tenant | fp:u64
 *                   | labelCount:u16 | (nameLen:u16 | name | valueLen:u32 | value)*
 * series val  = version:u8(=1) | minTs:i64 | maxTs:i64
 * </pre>
 *
 * A posting says "stream fp of tenant has label name=value". A series row maps a fingerprint to the
 * full label set and the stream's time range; the labels are part of the key so that two label
 * sets whose fingerprints collide get two rows. Strings are UTF-8. Stateless and thread-safe.
 */
public final class IndexKeys {
  static final byte POSTING = 'P';
  static final byte SERIES = 'S';
  static final byte SERIES_VALUE_VERSION = 1;
  private static final int MAX_U16 = 0xFFFF;

  private IndexKeys() {}

  /** A decoded posting key. */
  public record Posting(String tenant, String name, String value, long fingerprint) {}

  /** A decoded series key. */
  public record SeriesKey(String tenant, long fingerprint, Labels labels) {}

  public static byte[] posting(String tenant, String name, String value, long fingerprint) {
    byte[] t = utf8(tenant);
    byte[] n = utf8(name);
    byte[] v = utf8(value);
    return ByteBuffer.allocate(1 + 2 + t.length + 2 + n.length + 4 + v.length + 8)
        .put(POSTING).putShort(u16(t, "tenant")).put(t).putShort(u16(n, "label name")).put(n).putInt(v.length).put(v)
        .putLong(fingerprint).array();
  }

  /** Prefix of every posting of {@code tenant}. */
  public static byte[] postingPrefix(String tenant) {
    byte[] t = utf8(tenant);
    return ByteBuffer.allocate(3 + t.length).put(POSTING).putShort(u16(t, "tenant")).put(t).array();
  }

  /** Prefix of every posting of label {@code name} of {@code tenant}, whatever the value. */
  public static byte[] postingPrefix(String tenant, String name) {
    byte[] t = utf8(tenant);
    byte[] n = utf8(name);
    return ByteBuffer.allocate(5 + t.length + n.length).put(POSTING).putShort(u16(t, "tenant")).put(t)
        .putShort(u16(n, "label name")).put(n).array();
  }

  /** Prefix of every posting of {@code name="value"} of {@code tenant}: its streams' fingerprints. */
  public static byte[] postingPrefix(String tenant, String name, String value) {
    byte[] t = utf8(tenant);
    byte[] n = utf8(name);
    byte[] v = utf8(value);
    return ByteBuffer.allocate(9 + t.length + n.length + v.length).put(POSTING).putShort(u16(t, "tenant")).put(t)
        .putShort(u16(n, "label name")).put(n).putInt(v.length).put(v).array();
  }

  public static Posting decodePosting(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key);
    expect(b, POSTING);
    String tenant = str16(b);
    String name = str16(b);
    String value = str32(b);
    long fp = b.getLong();
    end(b);
    return new Posting(tenant, name, value, fp);
  }

  public static byte[] series(String tenant, long fingerprint, Labels labels) {
    byte[] t = utf8(tenant);
    List<byte[]> parts = new ArrayList<>(labels.size() * 2);
    int size = 1 + 2 + t.length + 8 + 2;
    for (int i = 0; i < labels.size(); i++) {
      byte[] n = utf8(labels.name(i));
      byte[] v = utf8(labels.value(i));
      parts.add(n);
      parts.add(v);
      size += 2 + n.length + 4 + v.length;
    }
    if (labels.size() > MAX_U16) {
      throw new IllegalArgumentException("too many labels: " + labels.size());
    }
    ByteBuffer b = ByteBuffer.allocate(size).put(SERIES).putShort(u16(t, "tenant")).put(t).putLong(fingerprint)
        .putShort((short) labels.size());
    for (int i = 0; i < parts.size(); i += 2) {
      b.putShort(u16(parts.get(i), "label name")).put(parts.get(i)).putInt(parts.get(i + 1).length).put(parts.get(i + 1));
    }
    return b.array();
  }

  /** Prefix of every series row of {@code tenant}. */
  public static byte[] seriesPrefix(String tenant) {
    byte[] t = utf8(tenant);
    return ByteBuffer.allocate(3 + t.length).put(SERIES).putShort(u16(t, "tenant")).put(t).array();
  }

  /** Prefix of the series rows of one fingerprint of {@code tenant} (more than one only on a collision). */
  public static byte[] seriesPrefix(String tenant, long fingerprint) {
    byte[] t = utf8(tenant);
    return ByteBuffer.allocate(11 + t.length).put(SERIES).putShort(u16(t, "tenant")).put(t).putLong(fingerprint).array();
  }

  public static SeriesKey decodeSeries(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key);
    expect(b, SERIES);
    String tenant = str16(b);
    long fp = b.getLong();
    int n = Short.toUnsignedInt(b.getShort());
    List<String[]> pairs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pairs.add(new String[] {str16(b), str32(b)});
    }
    end(b);
    return new SeriesKey(tenant, fp, Labels.ofPairs(pairs));
  }

  public static byte[] seriesValue(long minTs, long maxTs) {
    return ByteBuffer.allocate(17).put(SERIES_VALUE_VERSION).putLong(minTs).putLong(maxTs).array();
  }

  /** The {@code [minTs, maxTs]} a series value holds. */
  public static long[] decodeSeriesValue(byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value);
    if (value.length != 17 || b.get() != SERIES_VALUE_VERSION) {
      throw new IllegalStateException("unknown index series value (version " + (value.length > 0 ? value[0] : -1) + ")");
    }
    return new long[] {b.getLong(), b.getLong()};
  }

  /** Whether the labels of a stream fit the key layout (names of at most 65535 UTF-8 bytes). */
  public static String checkFits(String tenant, Labels labels) {
    if (utf8(tenant).length > MAX_U16) {
      return "tenant longer than " + MAX_U16 + " bytes";
    }
    if (labels.size() > MAX_U16) {
      return "more than " + MAX_U16 + " labels";
    }
    for (int i = 0; i < labels.size(); i++) {
      if (utf8(labels.name(i)).length > MAX_U16) {
        return "label name longer than " + MAX_U16 + " bytes";
      }
    }
    return null;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static short u16(byte[] part, String what) {
    if (part.length > MAX_U16) {
      throw new IllegalArgumentException(what + " longer than " + MAX_U16 + " bytes");
    }
    return (short) part.length;
  }

  private static void expect(ByteBuffer b, byte kind) {
    if (!b.hasRemaining() || b.get() != kind) {
      throw new IllegalStateException("not an index key of kind '" + (char) kind + "'");
    }
  }

  private static void end(ByteBuffer b) {
    if (b.hasRemaining()) {
      throw new IllegalStateException("index key has " + b.remaining() + " trailing bytes");
    }
  }

  private static String str16(ByteBuffer b) {
    byte[] s = new byte[Short.toUnsignedInt(b.getShort())];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static String str32(ByteBuffer b) {
    byte[] s = new byte[b.getInt()];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }
}
