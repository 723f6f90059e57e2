package io.fjord.ingester;

import io.fjord.store.ObjectStore;
import io.fjord.store.index.ChunkIndex;
import java.util.Objects;

/**
 * Where the ingester flushes: the object store (chunk objects and replay checkpoints) and the chunk
 * index. The caller opens both, and closes them after the {@link Ingester}. Immutable.
 */
public record IngesterStorage(ObjectStore store, ChunkIndex index) {
  public IngesterStorage {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(index, "index");
  }
}
