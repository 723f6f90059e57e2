package io.fjord.ingester.replay;

import io.fjord.ingester.replay.ReplayCheckpoint.StreamId;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The replay checkpoint object, version 1 (schemas/FORMATS.md, "Replay checkpoint"); all integers
 * big-endian:
 *
 * <pre>
 * magic "FJRC" | version:u8 (=1) | partition:u32 | replayFrom:i64 | writtenAtMillis:i64
 * | streamCount:u32 | ( tenantLength:u16 | tenant:UTF-8 | fingerprint:u64 | flushedThrough:i64 ) * streamCount
 * | crc32c:u32 (over every byte before it)
 * </pre>
 *
 * Streams are written sorted by tenant, then fingerprint (unsigned), so equal checkpoints encode to
 * equal bytes. A reader refuses another magic or version, a bad checksum, and a length that does not
 * match, with a {@link CheckpointFormatException} naming the object. Stateless.
 */
public final class ReplayCheckpointCodec {
  static final byte[] MAGIC = {'F', 'J', 'R', 'C'};
  public static final int VERSION = 1;
  private static final int FIXED = 4 + 1 + 4 + 8 + 8 + 4 + 4;

  private ReplayCheckpointCodec() {}

  public static byte[] encode(ReplayCheckpoint c) {
    TreeMap<StreamId, Long> sorted = new TreeMap<>(c.flushedThrough());
    int size = FIXED;
    Map<StreamId, byte[]> tenants = new HashMap<>();
    for (StreamId s : sorted.keySet()) {
      byte[] t = s.tenant().getBytes(StandardCharsets.UTF_8);
      if (t.length > 0xFFFF) {
        throw new IllegalArgumentException("tenant longer than 65535 bytes");
      }
      tenants.put(s, t);
      size += 2 + t.length + 8 + 8;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(MAGIC).put((byte) VERSION).putInt(c.partition()).putLong(c.replayFrom()).putLong(c.writtenAtMillis())
        .putInt(sorted.size());
    sorted.forEach((s, through) -> {
      byte[] t = tenants.get(s);
      b.putShort((short) t.length).put(t).putLong(s.fingerprint()).putLong(through);
    });
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  public static ReplayCheckpoint decode(String objectName, byte[] bytes) {
    if (bytes.length < FIXED) {
      throw new CheckpointFormatException(objectName, "too short (" + bytes.length + " bytes)");
    }
    for (int i = 0; i < 4; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new CheckpointFormatException(objectName, "not a replay checkpoint (bad magic)");
      }
    }
    if (bytes[4] != VERSION) {
      throw new CheckpointFormatException(objectName, "unsupported version " + (bytes[4] & 0xff)
          + " (this reader knows version " + VERSION + ")");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
      throw new CheckpointFormatException(objectName, "checksum mismatch");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 5, bytes.length - 9);
    try {
      int partition = b.getInt();
      long replayFrom = b.getLong();
      long writtenAt = b.getLong();
      long count = Integer.toUnsignedLong(b.getInt());
      Map<StreamId, Long> streams = new HashMap<>();
      for (long i = 0; i < count; i++) {
        byte[] t = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(t);
        streams.put(new StreamId(new String(t, StandardCharsets.UTF_8), b.getLong()), b.getLong());
      }
      if (b.hasRemaining()) {
        throw new CheckpointFormatException(objectName, b.remaining() + " bytes after the last stream");
      }
      return new ReplayCheckpoint(partition, replayFrom, writtenAt, streams);
    } catch (BufferUnderflowException e) {
      throw new CheckpointFormatException(objectName, "truncated");
    } catch (IllegalArgumentException e) {
      throw new CheckpointFormatException(objectName, e.getMessage());
    }
  }
}
