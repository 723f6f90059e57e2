package io.fjord.schemas.chunk;

/**
 * One block as the chunk footer describes it: where its bytes are and what a reader needs to decide
 * whether to fetch and decompress it at all. Immutable.
 *
 * @param index the block's position in the chunk, from 0
 * @param offset where the block starts in the chunk object
 * @param length the block's bytes: header, compressed data and CRC
 * @param minTs the first (smallest) entry timestamp, Unix ns
 * @param maxTs the last (largest) entry timestamp, Unix ns
 * @param entries how many entries the block holds (at least one)
 * @param rawLength the size of the block body once decompressed
 */
public record BlockMeta(int index, long offset, int length, long minTs, long maxTs, int entries, int rawLength) {

  /** True when the block may hold entries with {@code from <= ts < through}. */
  public boolean overlaps(long from, long through) {
    return minTs < through && maxTs >= from;
  }
}
