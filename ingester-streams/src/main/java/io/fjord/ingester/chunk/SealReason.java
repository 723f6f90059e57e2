package io.fjord.ingester.chunk;

/** Why a memory chunk stopped taking entries (Loki calls these flush reasons). */
public enum SealReason {
  /** Its compressed blocks reached {@code chunk_target_size}. */
  FULL,
  /** No entry arrived for {@code chunk_idle_period}. */
  IDLE,
  /** It has been open for {@code max_chunk_age}. */
  MAX_AGE,
  /** The partition's task closed (clean shutdown, or the partition moved to another instance). */
  FORCED
}
