package io.fjord.querier.source.store;

import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import io.fjord.store.index.ChunkIndex;
import io.fjord.store.index.ChunkRef;
import java.util.List;

/**
 * Writes chunks for tests as a flush does: encodes entries with the real {@link ChunkEncoder}
 * (small blocks, so a chunk has several), stores the object under its deterministic key and records
 * it in the chunk index. Not thread-safe.
 */
public final class FlushedChunks {
  /** Tiny blocks: a few entries each, so block skipping is exercised. */
  static final int BLOCK_SIZE = 64;

  private final ObjectStore store;
  private final ChunkIndex index;

  public FlushedChunks(ObjectStore store, ChunkIndex index) {
    this.store = store;
    this.index = index;
  }

  /** Flushes one chunk of {@code entries} (sorted by time) of the stream; returns its reference. */
  public ChunkRef flush(String tenant, Labels labels, List<LogEntry> entries) {
    byte[] bytes = ChunkEncoder.encode(tenant, labels, entries, ChunkCodec.DEFAULT, BLOCK_SIZE);
    ChunkKey key = ChunkKey.of(ChunkReader.of("new chunk", bytes).footer(), bytes);
    store.put(key.key(), bytes);
    ChunkRef ref = new ChunkRef(key, labels, bytes.length, entries.size());
    index.add(List.of(ref));
    return ref;
  }
}
