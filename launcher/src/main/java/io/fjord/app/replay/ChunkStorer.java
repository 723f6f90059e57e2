package io.fjord.app.replay;

import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.labels.Fingerprint;
import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import io.fjord.store.index.ChunkIndex;
import io.fjord.store.index.ChunkRef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes replayed chunks as the ingester's flush does (chunk format v1 with the configured codec and
 * block size, under the chunk's deterministic {@link ChunkKey}, then a {@link ChunkRef} in the index),
 * but only what is missing: a chunk whose object is in the store and whose reference is in the index
 * writes nothing, so a second replay of the same range adds no object at all (the index writes a new
 * part object per {@code add}, even for references it already has). A chunk found in only one of the
 * two gets the other. Which chunk objects exist is listed once per stream. Single-threaded.
 */
final class ChunkStorer {
  /** What storing one chunk did. */
  enum Outcome { WRITTEN, ALREADY_STORED }

  /** One stored or skipped chunk: the outcome, the chunk object's size, and bytes written (0 when skipped). */
  record Result(Outcome outcome, ChunkRef ref, long bytesWritten) {}

  private final ObjectStore store;
  private final ChunkIndex index;
  private final ChunkCodec codec;
  private final int blockSize;
  private final Map<String, Set<String>> objectsByStream = new HashMap<>();

  ChunkStorer(ObjectStore store, ChunkIndex index, ChunkCodec codec, int blockSize) {
    this.store = store;
    this.index = index;
    this.codec = codec;
    this.blockSize = blockSize;
  }

  Result store(ChunkCutter.Cut cut) {
    byte[] bytes = ChunkEncoder.encode(cut.tenant(), cut.labels(), cut.entries(), codec, blockSize);
    ChunkKey key = ChunkKey.of(ChunkReader.of("replayed chunk of " + cut.tenant() + " " + cut.labels(), bytes).footer(),
        bytes);
    ChunkRef ref = new ChunkRef(key, cut.labels(), bytes.length, cut.entries().size());
    Set<String> objects = objectsByStream.computeIfAbsent(ChunkKey.streamPrefix(cut.tenant(),
        Fingerprint.of(cut.labels())), prefix -> new HashSet<>(store.list(prefix)));
    boolean stored = objects.contains(key.key());
    boolean indexed = index.chunks(key.tenant(), key.fromNanos(), key.throughNanos() + 1).stream()
        .anyMatch(r -> r.chunk().equals(key));
    long written = 0;
    if (!stored) {
      store.put(key.key(), bytes);
      objects.add(key.key());
      written += bytes.length;
    }
    if (!indexed) {
      index.add(List.of(ref));
    }
    return new Result(stored && indexed ? Outcome.ALREADY_STORED : Outcome.WRITTEN, ref, written);
  }
}
