package io.fjord.schemas.chunk;

/**
 * The fixed numbers of the chunk format (layout in schemas/FORMATS.md, "Chunk, version 2" and
 * "Chunk, version 1"). The encoder writes version 2; readers read both. The versions differ only in
 * the version byte and the layout of a block's body (and so in the smallest body an entry takes).
 *
 * <pre>
 * chunk   = header | block * n (n >= 1, end to end) | footer | trailer
 * header  = magic:"FJCK" | version:u8 (1 or 2) | codec:u8                              (6 bytes)
 * block   = entries:u32 | minTs:i64 | maxTs:i64 | rawLength:u32 | dataLength:u32         (28 bytes)
 *           | data:dataLength bytes (the body compressed with the codec)
 *           | crc32c:u32 over the block's header and data
 * body v2 = tsDelta:uvarint * entries | mdLength:uvarint | md:mdLength bytes
 *           | multiLineCount:uvarint | ( indexDelta:uvarint | lineLength:uvarint ) * multiLineCount
 *           | ( line bytes | 0x0a ) * entries
 *           md = ( mdCount:uvarint | (name:str value:str)* ) * entries, absent (mdLength 0)
 *           when no entry of the block has metadata; the multi-line list names the lines that
 *           hold a line feed (first index as is, then deltas >= 1), every other line ends at the
 *           next line feed; the first tsDelta is 0
 * body v1 = ( tsDelta:uvarint | line:str | mdCount:uvarint | (name:str value:str)* ) * entries
 *           tsDelta = ts - previous ts; the first entry's previous ts is the block's minTs
 * footer  = magic:"FJCK" | version:u8 | codec:u8 | blockCount:uvarint
 *           | ( offset:u64 | length:u32 | minTs:i64 | maxTs:i64 | entries:u32 | rawLength:u32 ) * blockCount
 *           | tenant:str | labelCount:uvarint | (name:str value:str)* | minTs:i64 | maxTs:i64
 *           | entries:uvarint
 * trailer = footerLength:u32 | footerCrc32c:u32                                         (8 bytes)
 * str     = length:uvarint | UTF-8 bytes
 * </pre>
 *
 * Integers are big-endian. The trailer is the last 8 bytes of every version, so a reader can always
 * find the footer and then reject a version it does not know.
 */
public final class ChunkFormat {
  /** The version the encoder writes: columnar block bodies. */
  public static final int VERSION = 2;
  /** The first version (entries interleaved in the body); still read, written only on request. */
  public static final int VERSION_1 = 1;
  static final byte[] MAGIC = {'F', 'J', 'C', 'K'};
  public static final int HEADER_SIZE = 6;
  public static final int BLOCK_HEADER_SIZE = 28;
  /** Block header + CRC: a block's length is this plus its compressed data. */
  public static final int BLOCK_OVERHEAD = BLOCK_HEADER_SIZE + 4;
  public static final int BLOCK_INDEX_ENTRY_SIZE = 36;
  public static final int TRAILER_SIZE = 8;
  /**
   * The largest block body a reader accepts (and the encoder writes): a guard against absurd sizes
   * in a corrupt or hostile chunk before anything is allocated.
   */
  public static final int MAX_BLOCK_RAW_SIZE = 64 << 20;

  private ChunkFormat() {}

  /** Whether a reader knows {@code version}. */
  static boolean isKnown(int version) {
    return version == VERSION_1 || version == VERSION;
  }

  /** The fewest body bytes an entry takes in {@code version}: a sanity bound on entry counts. */
  static int minEntryBytes(int version) {
    // v1: a timestamp delta, a line length and a metadata count; v2: a delta and a line length
    return version == VERSION_1 ? 3 : 2;
  }
}
