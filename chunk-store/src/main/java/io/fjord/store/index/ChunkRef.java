package io.fjord.store.index;

import io.fjord.schemas.labels.Labels;
import io.fjord.store.ChunkKey;
import java.util.Objects;

/**
 * One flushed chunk as the chunk index knows it: whose it is (tenant, stream labels and their
 * fingerprint), the time span of its entries {@code [fromNanos, throughNanos]} (both inclusive, as in
 * the chunk's footer), where it lies ({@link #key()}), its size in bytes and how many entries it
 * holds. Enough to select chunks by label matchers and time without opening them. Immutable.
 */
public record ChunkRef(ChunkKey chunk, Labels labels, long bytes, int entries) {

  public ChunkRef {
    Objects.requireNonNull(chunk, "chunk");
    Objects.requireNonNull(labels, "labels");
    if (bytes <= 0) {
      throw new IllegalArgumentException("chunk size must be positive, got " + bytes);
    }
    if (entries <= 0) {
      throw new IllegalArgumentException("chunk entry count must be positive, got " + entries);
    }
  }

  public String tenant() {
    return chunk.tenant();
  }

  public long fingerprint() {
    return chunk.fingerprint();
  }

  public long fromNanos() {
    return chunk.fromNanos();
  }

  public long throughNanos() {
    return chunk.throughNanos();
  }

  /** The chunk's object key. */
  public String key() {
    return chunk.key();
  }

  /** Whether the chunk may hold an entry with {@code startNanos <= ts < endNanos}. */
  public boolean overlaps(long startNanos, long endNanos) {
    return chunk.fromNanos() < endNanos && chunk.throughNanos() >= startNanos;
  }
}
