package io.fjord.schemas.chunk;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Verifies, decompresses and parses one block. The CRC is checked before anything is decompressed,
 * the block header must agree with the footer's index entry, and the body must hold exactly the
 * entries it claims, in time order within the block's span. Keeps a decompression buffer between
 * blocks, so single-threaded.
 */
final class BlockDecoder {
  private final String objectName;
  private final ChunkCodec codec;
  private final CRC32C crc = new CRC32C();
  private byte[] raw = new byte[0];

  BlockDecoder(String objectName, ChunkCodec codec) {
    this.objectName = objectName;
    this.codec = codec;
  }

  /** Decodes the block {@code meta} whose bytes start at {@code buf[off]}. */
  List<LogEntry> decode(BlockMeta meta, byte[] buf, int off) {
    return decode(meta, buf, off, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * Decodes the entries with {@code from <= ts <= last} of the block {@code meta} whose bytes start
   * at {@code buf[off]}. The whole block is still checked; entries outside the range are skipped
   * without building their line or metadata.
   */
  List<LogEntry> decode(BlockMeta meta, byte[] buf, int off, long from, long last) {
    return decode(meta, buf, off, from, last, LineFilter.ALL, null);
  }

  /**
   * As {@link #decode(BlockMeta, byte[], int, long, long)}, also passing over (without building them)
   * the entries whose line {@code filter} refuses, counted in {@code skipped}.
   */
  List<LogEntry> decode(BlockMeta meta, byte[] buf, int off, long from, long last, LineFilter filter,
      LineFilter.Skipped skipped) {
    String what = "block " + meta.index() + " (offset " + meta.offset() + ")";
    if (buf.length - off < meta.length()) {
      throw new ChunkFormatException(objectName, what + ": truncated");
    }
    int crcAt = off + meta.length() - 4;
    crc.reset();
    crc.update(buf, off, meta.length() - 4);
    if ((int) crc.getValue() != ByteReader.getU32(buf, crcAt)) {
      throw new ChunkFormatException(objectName, what + ": checksum mismatch");
    }
    ByteReader h = new ByteReader(buf, off, crcAt, objectName, what);
    int entries = h.u32("entry count");
    long minTs = h.i64("minTs");
    long maxTs = h.i64("maxTs");
    int rawLength = h.u32("raw length");
    int dataLength = h.u32("data length");
    if (entries != meta.entries() || minTs != meta.minTs() || maxTs != meta.maxTs()
        || rawLength != meta.rawLength() || dataLength != meta.length() - ChunkFormat.BLOCK_OVERHEAD) {
      throw h.error("header disagrees with the footer's index");
    }
    if (codec == ChunkCodec.NONE) {
      if (dataLength != rawLength) {
        throw h.error("uncompressed data of " + dataLength + " bytes, raw length says " + rawLength);
      }
      return parse(what, meta, buf, h.pos, rawLength, from, last, filter, skipped);
    }
    if (raw.length < rawLength) {
      raw = new byte[Math.max(rawLength, Math.min(raw.length * 2, ChunkFormat.MAX_BLOCK_RAW_SIZE))];
    }
    try {
      Compression.decompress(codec, buf, h.pos, dataLength, raw, rawLength);
    } catch (IllegalStateException e) {
      throw new ChunkFormatException(objectName, what + ": " + e.getMessage(), e);
    }
    return parse(what, meta, raw, 0, rawLength, from, last, filter, skipped);
  }

  private List<LogEntry> parse(String what, BlockMeta meta, byte[] body, int off, int len, long from, long last,
      LineFilter filter, LineFilter.Skipped skipped) {
    boolean filtering = filter != LineFilter.ALL;
    ByteReader r = new ByteReader(body, off, off + len, objectName, what);
    int n = meta.entries();
    boolean all = from <= meta.minTs() && last >= meta.maxTs();
    List<LogEntry> out = new ArrayList<>(all ? n : 16);
    long prev = meta.minTs();
    long maxTs = meta.maxTs();
    int prevMdStart = 0;
    int prevMdEnd = 0;
    Labels prevMd = Labels.EMPTY;
    for (int i = 0; i < n; i++) {
      long delta = r.uvarint("timestamp");
      if (Long.compareUnsigned(delta, maxTs - prev) > 0) {
        throw r.error("entry " + i + " timestamp lies past the block's maxTs");
      }
      long ts = prev + delta;
      prev = ts;
      if (!all && (ts < from || ts > last)) {
        skipStr(r, "line");
        int mdCount = r.count("metadata count", r.remaining() / 2);
        for (int j = 0; j < 2 * mdCount; j++) {
          skipStr(r, "metadata");
        }
        continue;
      }
      String line;
      if (filtering) {
        long lineLen = r.uvarint("line");
        if (lineLen < 0 || lineLen > r.remaining()) {
          throw r.error("line of " + Long.toUnsignedString(lineLen) + " bytes overruns its structure");
        }
        int lineStart = r.pos;
        r.pos += (int) lineLen;
        if (!filter.mayKeep(body, lineStart, (int) lineLen)) {
          int mdCount = r.count("metadata count", r.remaining() / 2);
          for (int j = 0; j < 2 * mdCount; j++) {
            skipStr(r, "metadata");
          }
          if (skipped != null) {
            skipped.add((int) lineLen);
          }
          continue;
        }
        line = new String(body, lineStart, (int) lineLen, StandardCharsets.UTF_8);
      } else {
        line = r.str("line");
      }
      int mdStart = r.pos;
      int mdCount = r.count("metadata count", r.remaining() / 2);
      Labels md;
      if (mdCount == 0) {
        md = Labels.EMPTY;
      } else {
        int pairsStart = r.pos;
        for (int j = 0; j < 2 * mdCount; j++) {
          skipStr(r, "metadata");
        }
        int mdEnd = r.pos;
        if (mdEnd - mdStart == prevMdEnd - prevMdStart
            && Arrays.equals(body, mdStart, mdEnd, body, prevMdStart, prevMdEnd)) {
          md = prevMd; // consecutive entries very often carry the same metadata
        } else {
          r.pos = pairsStart;
          List<String[]> pairs = new ArrayList<>(mdCount);
          for (int j = 0; j < mdCount; j++) {
            pairs.add(new String[] {r.str("metadata name"), r.str("metadata value")});
          }
          try {
            md = Labels.ofPairs(pairs);
          } catch (IllegalArgumentException e) {
            throw r.error("entry " + i + " metadata: " + e.getMessage());
          }
          prevMd = md;
          prevMdStart = mdStart;
          prevMdEnd = mdEnd;
        }
      }
      out.add(new LogEntry(ts, line, md));
    }
    if (r.remaining() != 0) {
      throw r.error(r.remaining() + " unread bytes after the last entry");
    }
    if (prev != maxTs) {
      throw r.error("last entry at " + prev + ", the header says maxTs " + maxTs);
    }
    return out;
  }

  private static void skipStr(ByteReader r, String what) {
    long n = r.uvarint(what);
    if (n < 0 || n > r.remaining()) {
      throw r.error(what + " of " + Long.toUnsignedString(n) + " bytes overruns its structure");
    }
    r.pos += (int) n;
  }
}
