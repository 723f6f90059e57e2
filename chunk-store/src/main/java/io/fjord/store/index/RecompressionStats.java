package io.fjord.store.index;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of the compactor's recompression, for metrics
 * ({@code fjord_compactor_recompressed_chunks_total} and the others the launcher registers).
 * Thread-safe: written by the compactor thread, read by any.
 */
public final class RecompressionStats {
  private final AtomicLong chunks = new AtomicLong();
  private final AtomicLong bytesBefore = new AtomicLong();
  private final AtomicLong bytesAfter = new AtomicLong();
  private final AtomicLong rawBytes = new AtomicLong();
  private final AtomicLong kept = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  void swapped(long before, long after, long raw) {
    chunks.incrementAndGet();
    bytesBefore.addAndGet(before);
    bytesAfter.addAndGet(after);
    rawBytes.addAndGet(raw);
  }

  void kept() {
    kept.incrementAndGet();
  }

  void failed() {
    failures.incrementAndGet();
  }

  /** Chunks rewritten and swapped into the index. */
  public long chunks() {
    return chunks.get();
  }

  /** Stored bytes of the swapped chunks before recompression. */
  public long bytesBefore() {
    return bytesBefore.get();
  }

  /** Stored bytes of the same chunks after recompression. */
  public long bytesAfter() {
    return bytesAfter.get();
  }

  /** Uncompressed line bytes of the swapped chunks (what the ratio is taken against). */
  public long rawBytes() {
    return rawBytes.get();
  }

  /** Chunks examined and kept as they were: no smaller once recompressed, or already recompressed. */
  public long keptChunks() {
    return kept.get();
  }

  /** Chunks that could not be recompressed: missing, unreadable, or a copy whose entries differed (old kept). */
  public long failures() {
    return failures.get();
  }
}
