package io.fjord.querier.source.store;

import io.fjord.schemas.chunk.BlockMeta;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.index.ChunkRef;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * Splits one stream's chunks, for a request that only counts entries per bucket, into blocks
 * counted from the chunk footers (entry count, first and last timestamp; never fetched nor
 * decompressed) and blocks left to decode. A block is counted whole when
 *
 * <ul>
 *   <li>all its entries lie in the range ({@code start <= minTs}, {@code maxTs < end}),</li>
 *   <li>its first and last entries fall in the same bucket (so do all between), and</li>
 *   <li>no other chunk of the stream spans any instant of {@code [minTs, maxTs]}: the de-duplicating
 *       merge ({@link ChunkMergeIterator}) could then drop none of its entries, since a chunk holds
 *       each (timestamp, line) once (the ingester and replay de-duplicate before they cut).</li>
 * </ul>
 *
 * <p>Whether another chunk spans a block is read off the chunk index's time bounds of the stream's
 * chunks (sorted by start): a chunk sorted before reaches the block when its end is at or after the
 * block's first entry; one sorted after when the next chunk's start is at or before the block's last
 * entry (conservative: such a chunk may still end before the block, and the block is then decoded
 * without need). Every chunk's footer is read (one ranged read each); a chunk gone from the store is
 * left out, as the merge would. Not thread-safe: one instance per stream and request.
 */
final class WholeBlocks {
  /** A block counted from its footer entry: {@code entries} entries from {@code minTs}, {@code rawLength} bytes decoded. */
  record Counted(long minTs, int entries, long rawLength) {}

  private final List<Counted> counted = new ArrayList<>();
  private final List<ChunkRef> toDecode = new ArrayList<>();
  private final Map<ChunkRef, Leftover> leftover = new IdentityHashMap<>();

  private record Leftover(ChunkOpener.Opened chunk, List<BlockMeta> blocks) {}

  /**
   * @param chunks the stream's chunks, ordered by start time (as {@link StreamChunks} holds them)
   * @param bucketOf the bucket (its end) an entry at a timestamp is summed into
   */
  WholeBlocks(ChunkOpener opener, List<ChunkRef> chunks, long start, long end, LongUnaryOperator bucketOf) {
    long endBefore = Long.MIN_VALUE; // the latest end of the chunks sorted before the current one
    for (int i = 0; i < chunks.size(); i++) {
      ChunkRef ref = chunks.get(i);
      long nextStart = i + 1 < chunks.size() ? chunks.get(i + 1).fromNanos() : Long.MAX_VALUE;
      long before = endBefore;
      endBefore = Math.max(endBefore, ref.throughNanos());
      ChunkOpener.Opened chunk = opener.open(ref);
      if (chunk == null) {
        continue;
      }
      List<BlockMeta> decode = new ArrayList<>();
      for (BlockMeta b : chunk.blocks()) {
        if (!b.overlaps(start, end)) {
          continue;
        }
        boolean whole = b.minTs() >= start && b.maxTs() < end
            && bucketOf.applyAsLong(b.minTs()) == bucketOf.applyAsLong(b.maxTs())
            && before < b.minTs() && nextStart > b.maxTs();
        if (whole) {
          counted.add(new Counted(b.minTs(), b.entries(), b.rawLength()));
        } else {
          decode.add(b);
        }
      }
      if (!decode.isEmpty()) {
        toDecode.add(ref);
        leftover.put(ref, new Leftover(chunk, decode));
      }
    }
  }

  /** The blocks counted whole, in chunk and block order. */
  List<Counted> counted() {
    return counted;
  }

  /** The chunks with blocks left to decode, in the order given. */
  List<ChunkRef> toDecode() {
    return toDecode;
  }

  /**
   * The entries in {@code [start, end)} of the blocks of {@code ref} left to decode, oldest first;
   * once per chunk (the chunk is let go here, so that its reader and decompression buffer go with
   * the iterator).
   */
  Iterator<LogEntry> entries(ChunkRef ref, long start, long end) {
    Leftover l = leftover.remove(ref);
    if (l == null) {
      throw new IllegalStateException("chunk " + ref.key() + " has no blocks left to decode, or was read already");
    }
    return l.chunk().entries(l.blocks(), start, end);
  }
}
