package io.fjord.schemas.chunk;

import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * What a chunk's footer says: its codec, whose stream it holds, its time span and entry count, and
 * where each block is. Enough to decide which blocks to fetch without decompressing any.
 * Immutable.
 *
 * @param version the chunk format version (1 or 2): how block bodies are laid out
 * @param codec the compression of every block body
 * @param tenant the tenant the stream belongs to
 * @param labels the stream's labels
 * @param minTs the oldest entry's timestamp, Unix ns
 * @param maxTs the newest entry's timestamp, Unix ns
 * @param entries the number of entries in all blocks
 * @param blocks the blocks in order (by offset and by time)
 */
public record ChunkFooter(int version, ChunkCodec codec, String tenant, Labels labels, long minTs, long maxTs, long entries,
    List<BlockMeta> blocks) {

  public ChunkFooter {
    blocks = List.copyOf(blocks);
  }

  /** Bytes of all blocks decompressed: what a full scan of the chunk decodes. */
  public long rawLength() {
    long n = 0;
    for (BlockMeta b : blocks) {
      n += b.rawLength();
    }
    return n;
  }

  void encode(ByteWriter w) {
    w.write(ChunkFormat.MAGIC, 0, 4);
    w.u8(version);
    w.u8(codec.id());
    w.uvarint(blocks.size());
    for (BlockMeta b : blocks) {
      w.i64(b.offset());
      w.u32(b.length());
      w.i64(b.minTs());
      w.i64(b.maxTs());
      w.u32(b.entries());
      w.u32(b.rawLength());
    }
    w.str(tenant);
    w.uvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      w.str(labels.name(i));
      w.str(labels.value(i));
    }
    w.i64(minTs);
    w.i64(maxTs);
    w.uvarint(entries);
  }

  /**
   * Decodes and checks a footer whose checksum has been verified. {@code footerOffset} is where it
   * starts in the object, which is where the last block must end.
   */
  static ChunkFooter decode(String objectName, byte[] buf, int off, int len, long footerOffset) {
    ByteReader r = new ByteReader(buf, off, off + len, objectName, "footer");
    int version = checkMagicVersionCodec(objectName, r, "footer");
    ChunkCodec codec = ChunkCodec.ofId(buf[off + 5] & 0xff);
    int blockCount = r.count("block count", r.remaining() / ChunkFormat.BLOCK_INDEX_ENTRY_SIZE);
    if (blockCount == 0) {
      throw r.error("no blocks");
    }
    List<BlockMeta> blocks = new ArrayList<>(blockCount);
    long expectedOffset = ChunkFormat.HEADER_SIZE;
    long total = 0;
    for (int i = 0; i < blockCount; i++) {
      // the block count was bounded by the bytes left, so these reads cannot run short; the names
      // in error messages are built only on an error (a chunk is opened per scan of it)
      long offset = r.i64("block offset");
      int length = blockU32(r, i, "length");
      long minTs = r.i64("block minTs");
      long maxTs = r.i64("block maxTs");
      int entries = blockU32(r, i, "entry count");
      int rawLength = blockU32(r, i, "raw length");
      if (offset != expectedOffset) {
        throw r.error("block " + i + " starts at " + offset + ", expected " + expectedOffset
            + " (blocks lie end to end)");
      }
      if (length < ChunkFormat.BLOCK_OVERHEAD) {
        throw r.error("block " + i + " length " + length + " is shorter than a block header");
      }
      checkBlockFields(r, version, i, minTs, maxTs, entries, rawLength);
      if (i > 0 && minTs < blocks.get(i - 1).maxTs()) {
        throw r.error("block " + i + " starts before block " + (i - 1) + " ends (blocks must be in time order)");
      }
      blocks.add(new BlockMeta(i, offset, length, minTs, maxTs, entries, rawLength));
      expectedOffset = offset + length;
      total += entries;
    }
    if (expectedOffset != footerOffset) {
      throw r.error("the last block ends at " + expectedOffset + " but the footer starts at " + footerOffset);
    }
    String tenant = r.str("tenant");
    int labelCount = r.count("label count", r.remaining() / 2);
    List<String[]> pairs = new ArrayList<>(labelCount);
    for (int i = 0; i < labelCount; i++) {
      pairs.add(new String[] {r.str("label name"), r.str("label value")});
    }
    Labels labels;
    try {
      labels = Labels.ofPairs(pairs);
    } catch (IllegalArgumentException e) {
      throw r.error("labels: " + e.getMessage());
    }
    long minTs = r.i64("chunk minTs");
    long maxTs = r.i64("chunk maxTs");
    long entries = r.uvarint("chunk entry count");
    if (r.remaining() != 0) {
      throw r.error(r.remaining() + " unread bytes");
    }
    if (minTs != blocks.get(0).minTs() || maxTs != blocks.get(blockCount - 1).maxTs() || entries != total) {
      throw r.error("chunk span " + minTs + ".." + maxTs + " with " + entries
          + " entries disagrees with its blocks");
    }
    return new ChunkFooter(version, codec, tenant, labels, minTs, maxTs, entries, blocks);
  }

  /**
   * Checks magic, version and codec at the reader's position (header or footer) and moves past them;
   * returns the version.
   */
  static int checkMagicVersionCodec(String objectName, ByteReader r, String where) {
    for (int i = 0; i < 4; i++) {
      if (r.u8("magic") != (ChunkFormat.MAGIC[i] & 0xff)) {
        throw new ChunkFormatException(objectName, "not a Fjord chunk (bad magic in the " + where + ")");
      }
    }
    int version = r.u8("version");
    if (!ChunkFormat.isKnown(version)) {
      throw new ChunkFormatException(objectName, "unsupported chunk format version " + version
          + " (this reader knows versions " + ChunkFormat.VERSION_1 + " and " + ChunkFormat.VERSION + ")");
    }
    int codecId = r.u8("codec");
    if (ChunkCodec.ofId(codecId) == null) {
      throw new ChunkFormatException(objectName, "unknown chunk codec id " + codecId);
    }
    return version;
  }

  /** The sanity rules a block's header fields obey, wherever they are read. */
  /** A block index entry's unsigned 32-bit field, which must fit an int (as {@link ByteReader#u32}). */
  private static int blockU32(ByteReader r, int index, String field) {
    int v = r.rawU32(field);
    if (v < 0) {
      throw r.error("block " + index + " " + field + " " + Integer.toUnsignedString(v) + " out of range");
    }
    return v;
  }

  static void checkBlockFields(ByteReader r, int version, int index, long minTs, long maxTs, int entries,
      int rawLength) {
    if (entries < 1) {
      throw r.error("block " + index + " has no entries");
    }
    if (minTs > maxTs) {
      throw r.error("block " + index + " minTs " + minTs + " is after its maxTs " + maxTs);
    }
    if (rawLength > ChunkFormat.MAX_BLOCK_RAW_SIZE) {
      throw r.error("block " + index + " raw length " + rawLength + " exceeds " + ChunkFormat.MAX_BLOCK_RAW_SIZE);
    }
    if ((long) entries * ChunkFormat.minEntryBytes(version) > rawLength) {
      throw r.error("block " + index + " claims " + entries + " entries in " + rawLength + " bytes");
    }
  }
}
