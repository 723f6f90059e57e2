package io.fjord.ingester.flush;

import io.fjord.ingester.chunk.SealedChunk;
import io.fjord.ingester.chunk.StreamKey;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import io.fjord.store.index.ChunkIndex;
import io.fjord.store.index.ChunkRef;
import java.util.List;

/**
 * The three steps of one chunk's flush: encode its entries in timestamp order in the current chunk
 * format with the configured codec, zstd level and block size; put the object under its deterministic
 * {@link ChunkKey} (a retry overwrites, never duplicates); add its {@link ChunkRef} to the chunk
 * index. Thread-safe (stateless apart from the shared, thread-safe store and index).
 */
final class ChunkWriter {
  private final ObjectStore store;
  private final ChunkIndex index;
  private final ChunkCodec codec;
  private final int blockSize;
  private final int zstdLevel;

  ChunkWriter(ObjectStore store, ChunkIndex index, ChunkCodec codec, int blockSize, int zstdLevel) {
    this.store = store;
    this.index = index;
    this.codec = codec;
    this.blockSize = blockSize;
    this.zstdLevel = zstdLevel;
  }

  EncodedChunk encode(SealedChunk chunk) {
    StreamKey k = chunk.key();
    ChunkEncoder enc = new ChunkEncoder(k.tenant(), k.labels(), codec, blockSize, zstdLevel);
    chunk.forEachEntry(enc::append);
    byte[] bytes = enc.finish();
    ChunkKey key = ChunkKey.of(ChunkReader.of("new chunk of " + k.tenant() + " " + k.labels(), bytes).footer(), bytes);
    return new EncodedChunk(new ChunkRef(key, k.labels(), bytes.length, (int) enc.entryCount()), bytes);
  }

  void store(EncodedChunk chunk) {
    store.put(chunk.key(), chunk.bytes());
  }

  void index(EncodedChunk chunk) {
    index.add(List.of(chunk.ref()));
  }
}
