package io.fjord.ingester.chunk;

/**
 * One sealed block of a memory chunk: the snappy-compressed encoding ({@link BlockCodec}) of a run
 * of entries sorted by timestamp, plus what a query needs to skip it without decompressing: the
 * smallest and largest timestamp and the entry count. Immutable and thread-safe.
 *
 * @param minTs the first entry's timestamp (Unix ns)
 * @param maxTs the last entry's timestamp (Unix ns)
 * @param entries how many entries the block holds
 * @param lineBytes the UTF-8 bytes of the lines, before compression (what {@code chunk_block_size} counts)
 * @param compressed the snappy-compressed block body
 * @param hasMetadata whether any entry carries structured metadata (without any, every entry's
 *     labels are its stream's, so a count can be read off {@code entries})
 */
public record Block(long minTs, long maxTs, int entries, long lineBytes, byte[] compressed, boolean hasMetadata) {

  /** True when the block may hold entries with {@code start <= ts < end}. */
  public boolean overlaps(long start, long end) {
    return minTs < end && maxTs >= start;
  }

  /** True when every entry of the block has {@code start <= ts < end}. */
  public boolean within(long start, long end) {
    return minTs >= start && maxTs < end;
  }

  /** True when {@code ts} lies within the block's timestamp bounds. */
  public boolean covers(long ts) {
    return ts >= minTs && ts <= maxTs;
  }

  /** The compressed size in bytes (what {@code chunk_target_size} counts). */
  public int compressedSize() {
    return compressed.length;
  }

  /** Decompresses and decodes the entries. */
  public EntryRun decode() {
    return BlockCodec.decode(this);
  }
}
