package io.fjord.app.replay;

import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.labels.Fingerprint;
import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import io.fjord.store.index.ChunkIndex;
import io.fjord.store.index.ChunkRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes replayed chunks as the ingester's flush does (the current chunk format with the configured
 * codec, zstd level and block size, under the chunk's deterministic {@link ChunkKey}, then a {@link ChunkRef} in the index),
 * but only what is missing: a chunk whose object is in the store and whose reference is in the index
 * writes nothing, so a second replay of the same range adds no object at all (the index writes a new
 * part object per {@code add}, even for references it already has). A chunk found in only one of the
 * two gets the other. Which chunk objects exist is listed once per stream, which references the index
 * holds once per tenant and index period (a chunk is listed in the period of its first entry, among
 * others). References are added in batches of {@link #INDEX_BATCH} and by {@link #flush()}; a chunk's
 * object is always stored before its reference is added, so a run that fails between the two leaves
 * an object that the next run indexes. Single-threaded.
 */
final class ChunkStorer {
  /** What storing one chunk did. */
  enum Outcome { WRITTEN, ALREADY_STORED }

  /** One stored or skipped chunk: the outcome, its reference, and bytes written (0 when skipped). */
  record Result(Outcome outcome, ChunkRef ref, long bytesWritten) {}

  /** References added to the index in one part object. */
  static final int INDEX_BATCH = 256;

  private record TenantPeriod(String tenant, long period) {}

  private final ObjectStore store;
  private final ChunkIndex index;
  private final ChunkCodec codec;
  private final int blockSize;
  private final int zstdLevel;
  private final long periodNanos;
  private final Map<String, Set<String>> objectsByStream = new HashMap<>();
  private final Map<TenantPeriod, Set<ChunkKey>> indexed = new HashMap<>();
  private final List<ChunkRef> toIndex = new ArrayList<>();

  /** @param periodNanos the chunk index's period ({@code chunk_index.period}) */
  ChunkStorer(ObjectStore store, ChunkIndex index, ChunkCodec codec, int blockSize, long periodNanos) {
    this(store, index, codec, ChunkCodec.DEFAULT_ZSTD_LEVEL, blockSize, periodNanos);
  }

  /** As above, zstd chunks at {@code zstdLevel} ({@code ingester.chunk_zstd_level}). */
  ChunkStorer(ObjectStore store, ChunkIndex index, ChunkCodec codec, int zstdLevel, int blockSize, long periodNanos) {
    this.store = store;
    this.index = index;
    this.codec = codec;
    this.zstdLevel = zstdLevel;
    this.blockSize = blockSize;
    this.periodNanos = periodNanos;
  }

  Result store(ChunkCutter.Cut cut) {
    byte[] bytes = ChunkEncoder.encode(cut.tenant(), cut.labels(), cut.entries(), codec, blockSize, zstdLevel);
    ChunkKey key = ChunkKey.of(ChunkReader.of("replayed chunk of " + cut.tenant() + " " + cut.labels(), bytes).footer(),
        bytes);
    ChunkRef ref = new ChunkRef(key, cut.labels(), bytes.length, cut.entries().size());
    Set<String> objects = objectsByStream.computeIfAbsent(ChunkKey.streamPrefix(cut.tenant(),
        Fingerprint.of(cut.labels())), prefix -> new HashSet<>(store.list(prefix)));
    Set<ChunkKey> refs = indexedIn(key.tenant(), Math.floorDiv(key.fromNanos(), periodNanos));
    boolean stored = objects.contains(key.key());
    boolean isIndexed = refs.contains(key);
    long written = 0;
    if (!stored) {
      store.put(key.key(), bytes);
      objects.add(key.key());
      written += bytes.length;
    }
    if (!isIndexed) {
      toIndex.add(ref);
      refs.add(key);
      if (toIndex.size() >= INDEX_BATCH) {
        flush();
      }
    }
    return new Result(stored && isIndexed ? Outcome.ALREADY_STORED : Outcome.WRITTEN, ref, written);
  }

  /** Adds the references gathered so far to the index, in one part object per tenant and period. */
  void flush() {
    if (!toIndex.isEmpty()) {
      index.add(List.copyOf(toIndex));
      toIndex.clear();
    }
  }

  /** Forgets what was listed, to bound memory between partitions; call after {@link #flush()}. */
  void forget() {
    objectsByStream.clear();
    indexed.clear();
  }

  private Set<ChunkKey> indexedIn(String tenant, long period) {
    return indexed.computeIfAbsent(new TenantPeriod(tenant, period), tp -> {
      Set<ChunkKey> keys = new HashSet<>();
      long start = period * periodNanos;
      for (ChunkRef r : index.chunks(tenant, start, start + periodNanos)) {
        keys.add(r.chunk());
      }
      return keys;
    });
  }
}
