package io.fjord.schemas.chunk;

/**
 * The fixed numbers of chunk format version 1 (layout in schemas/FORMATS.md, "Chunk").
 *
 * <pre>
 * chunk   = header | block * n (n >= 1, end to end) | footer | trailer
 * header  = magic:"FJCK" | version:u8(=1) | codec:u8                                   (6 bytes)
 * block   = entries:u32 | minTs:i64 | maxTs:i64 | rawLength:u32 | dataLength:u32         (28 bytes)
 *           | data:dataLength bytes (the body compressed with the codec)
 *           | crc32c:u32 over the block's header and data
 * body    = ( tsDelta:uvarint | line:str | mdCount:uvarint | (name:str value:str)* ) * entries
 *           tsDelta = ts - previous ts; the first entry's previous ts is the block's minTs
 * footer  = magic:"FJCK" | version:u8(=1) | codec:u8 | blockCount:uvarint
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
  public static final int VERSION = 1;
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
}
