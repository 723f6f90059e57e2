package io.fjord.ingester.flush;

import io.fjord.store.index.ChunkRef;

/**
 * A sealed chunk encoded in chunk format v1: its bytes and its reference (deterministic key, labels,
 * size, entry count). Encoded once per chunk; every retry writes the same bytes under the same key.
 * Immutable (the array is not copied; nobody writes to it).
 */
record EncodedChunk(ChunkRef ref, byte[] bytes) {
  String key() {
    return ref.key();
  }
}
