package io.fjord.store.index;

import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recompression of one (tenant, index period) that ended more than {@code compactor.recompress_after}
 * ago: every chunk not yet recompressed is rewritten by
 * {@link ChunkRecompressor} under a new key, and the period's index objects are replaced by one
 * {@code r-} object ({@link IndexKeys.Kind#RECOMPRESSED}) naming the new chunks instead of the old
 * ones. A period whose only live object is an {@code r-} object is done and costs one listing; an
 * object added later (a late flush or a backfill) makes the next run read the period again and
 * recompress only the chunks that did not come from an {@code r-} object.
 *
 * <p>The swap, so that no reader sees a chunk and its copy together or neither: (1) the new chunk
 * objects are written (nothing names them yet); (2) a version-2 superseded marker naming the
 * replacement-to-be, the objects read and the old chunks ({@link SupersededMarkers}); (3) the
 * replacement. A listing without the replacement reads the old objects, one with it reads the
 * replacement only. Once {@code compaction_delete_delay} has passed, the compactor deletes the old
 * index objects and writes a retention marker for the old chunks, deleted after
 * {@code retention_delete_delay} (readers may cache a listing of an old period for
 * {@code index_cache_validity}). Crashes: after (1) the new objects are orphans, and the next run
 * makes the same objects again (same bytes, same keys) and adopts them; after (2) the marker names
 * a replacement that never comes, and the compactor drops it when due; after (3) the swap is done.
 *
 * <p>Chunks spanning two index periods are left as they are: their references in the other period
 * would still name the old object. Only one compactor may recompress a store at a time (Loki runs a
 * single compactor too): two recompressing one period at once could leave both the old and the new
 * references live. Why old chunks are safe to rewrite with ingesters around: the querier asks
 * ingesters only about the last {@code query_ingesters_within} and lists in {@code excludeChunks}
 * only chunks ending in it, so with {@code recompress_after} at least that long, no rewritten chunk's
 * entries are ever asked of an ingester or excluded by key.
 *
 * <p>Single thread (the compactor's).
 */
final class PeriodRecompressor {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodRecompressor.class);

  private final ObjectStore store;
  private final CompactorConfig config;
  private final ChunkRecompressor chunks;
  private final RecompressionStats stats;
  private final Clock clock;
  private final long periodNanos;

  PeriodRecompressor(ObjectStore store, CompactorConfig config, ChunkRecompressor chunks, RecompressionStats stats,
      Clock clock, long periodNanos) {
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    this.chunks = Objects.requireNonNull(chunks, "chunks");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.periodNanos = periodNanos;
  }

  /** Whether every chunk that can be in {@code period} may already be old enough (it ends before the cutoff). */
  boolean mayBeDue(long period, long cutoffNanos) {
    return (period + 1) * periodNanos <= cutoffNanos;
  }

  /**
   * Recompresses what is left to do in one period, which must end at or before {@code cutoffNanos}
   * ({@link #mayBeDue}): every chunk in it that does not run into the next period ended before then.
   *
   * @throws InterruptedException when the compactor is closing
   * @throws io.fjord.store.ObjectStoreUnavailableException when the store fails (nothing half done
   *     is visible; the next run starts over)
   */
  CompactionReport recompress(String tenant, long period, long cutoffNanos) throws InterruptedException {
    String prefix = IndexKeys.periodPrefix(tenant, period);
    List<String> listing = store.list(prefix);
    List<String> keys = listing.stream()
        .filter(k -> IndexKeys.parse(k).filter(p -> p.tenant().equals(tenant) && p.period() == period).isPresent())
        .toList();
    List<SupersededMarkers.Supersession> markers = new ArrayList<>();
    for (String key : listing) {
      if (SupersededMarkers.parse(tenant, period, key).isEmpty()) {
        continue;
      }
      byte[] bytes = store.get(key).orElse(null);
      if (bytes == null) {
        continue;
      }
      try {
        markers.add(SupersededMarkers.decode(key, tenant, period, bytes));
      } catch (IndexFormatException e) {
        return failure(e.getMessage()); // IndexCompactor reports it too; do not guess what it named
      }
    }
    List<String> live = SupersededMarkers.live(keys, markers);
    if (live.isEmpty() || live.size() == 1 && kind(live.get(0)) == IndexKeys.Kind.RECOMPRESSED) {
      return CompactionReport.EMPTY;
    }
    Map<ChunkKey, ChunkRef> union = new LinkedHashMap<>();
    Set<ChunkKey> done = new HashSet<>();
    for (String key : live) {
      byte[] bytes = store.get(key).orElse(null);
      if (bytes == null) {
        return CompactionReport.EMPTY; // a racing compaction: try again next run
      }
      List<ChunkRef> refs;
      try {
        refs = IndexObjectFormat.decode(key, tenant, bytes);
      } catch (IndexFormatException e) {
        return failure(e.getMessage());
      }
      for (ChunkRef r : refs) {
        union.putIfAbsent(r.chunk(), r);
        if (kind(key) == IndexKeys.Kind.RECOMPRESSED) {
          done.add(r.chunk());
        }
      }
    }
    // a chunk of the period that may end after the cutoff runs into the next period, and is not rewritten
    List<ChunkRef> todo = union.values().stream()
        .filter(r -> !done.contains(r.chunk()) && r.throughNanos() < cutoffNanos)
        .filter(r -> IndexKeys.periodOf(r.fromNanos(), periodNanos) == IndexKeys.periodOf(r.throughNanos(), periodNanos))
        .sorted(Comparator.comparing(ChunkRef::key))
        .toList();
    Map<ChunkKey, ChunkRef> swaps = new LinkedHashMap<>();
    long before = 0;
    long after = 0;
    int failed = 0;
    for (ChunkRef r : todo) {
      ChunkRecompressor.Outcome outcome = chunks.recompress(r);
      if (outcome instanceof ChunkRecompressor.Swapped s) {
        swaps.put(r.chunk(), s.replacement());
        before += r.bytes();
        after += s.replacement().bytes();
        stats.swapped(r.bytes(), s.replacement().bytes(), s.rawBytes());
      } else if (outcome instanceof ChunkRecompressor.Kept) {
        stats.kept();
      } else {
        stats.failed();
        failed++;
      }
    }
    List<ChunkRef> refs = new ArrayList<>(union.size());
    for (ChunkRef r : union.values()) {
      refs.add(swaps.getOrDefault(r.chunk(), r));
    }
    Instant now = clock.instant();
    String replacement = IndexKeys.newKey(tenant, period, IndexKeys.Kind.RECOMPRESSED, now.toEpochMilli(),
        ThreadLocalRandom.current().nextLong());
    String marker = SupersededMarkers.newKey(tenant, period, now.plus(config.compactionDeleteDelay()).toEpochMilli(),
        ThreadLocalRandom.current().nextLong());
    List<ChunkKey> replaced = List.copyOf(swaps.keySet());
    byte[] index = IndexObjectFormat.encode(tenant, refs);
    if (replaced.isEmpty()) {
      // the same chunks: the usual order (replacement, then marker) is safe, only the kind changes
      store.put(replacement, index);
      store.put(marker, SupersededMarkers.encode(java.util.Optional.of(replacement), live));
    } else {
      store.put(marker, SupersededMarkers.encode(replacement, live, replaced));
      store.put(replacement, index);
    }
    int deleted = 0;
    if (config.compactionDeleteDelay().isZero()) {
      if (!replaced.isEmpty()) {
        store.put(RetentionMarkers.newKey(tenant, now.plus(config.chunkDeleteDelay()).toEpochMilli(),
            ThreadLocalRandom.current().nextLong()), RetentionMarkers.encode(replaced));
      }
      for (String key : live) {
        store.delete(key);
      }
      store.delete(marker);
      deleted = live.size();
    }
    if (!swaps.isEmpty() || failed > 0) {
      LOG.info("compactor: recompressed {} of {} chunks of {} ({} -> {} bytes), {} failed", swaps.size(), todo.size(),
          prefix, before, after, failed);
    }
    return new CompactionReport(0, 1, live.size(), 1, deleted, 0, 0, List.of(), swaps.size(), before, after, failed);
  }

  private static CompactionReport failure(String message) {
    return new CompactionReport(0, 0, 0, 0, 0, 0, 0, List.of(message), 0, 0, 0, 0);
  }

  private static IndexKeys.Kind kind(String key) {
    return IndexKeys.parse(key).map(IndexKeys.IndexObjectKey::kind).orElse(IndexKeys.Kind.PART);
  }
}
