package io.fjord.store.index;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * How the chunk index in the object store is laid out and cached (the {@code chunk_index} section).
 * Immutable; the constructor fills defaults and refuses what cannot work, naming the key.
 *
 * @param indexPeriod the span of one index period: each (tenant, period) has its own index objects
 *     (default {@code 24h}, as Loki's index tables). Whole hours from 1h to 7d. It is part of the
 *     layout: changing it on a store that already holds an index hides the objects written before
 *     (Loki's schema periods have the same rule), so keep it fixed.
 * @param indexCacheValidity how long a reader may keep using its list of a period's index objects
 *     before listing again (Loki's {@code index_cache_validity}, default {@code 5m}); the current and
 *     the previous period are listed on every query, whatever this says
 * @param indexCacheMaxSizeMb the bound on the reader's cache of parsed index objects, in MB of
 *     estimated heap (default {@code 100}, as Loki's embedded caches; 0 disables the cache)
 */
public record ChunkIndexConfig(
    @JsonProperty("index_period") Duration indexPeriod,
    @JsonProperty("index_cache_validity") Duration indexCacheValidity,
    @JsonProperty("index_cache_max_size_mb") Integer indexCacheMaxSizeMb) {

  public static final Duration DEFAULT_INDEX_PERIOD = Duration.ofHours(24);
  public static final Duration DEFAULT_INDEX_CACHE_VALIDITY = Duration.ofMinutes(5);
  public static final int DEFAULT_INDEX_CACHE_MAX_SIZE_MB = 100;

  public ChunkIndexConfig {
    indexPeriod = indexPeriod != null ? indexPeriod : DEFAULT_INDEX_PERIOD;
    indexCacheValidity = indexCacheValidity != null ? indexCacheValidity : DEFAULT_INDEX_CACHE_VALIDITY;
    indexCacheMaxSizeMb = indexCacheMaxSizeMb != null ? indexCacheMaxSizeMb : DEFAULT_INDEX_CACHE_MAX_SIZE_MB;
    if (indexPeriod.compareTo(Duration.ofHours(1)) < 0 || indexPeriod.compareTo(Duration.ofDays(7)) > 0
        || indexPeriod.toSeconds() % 3600 != 0 || indexPeriod.getNano() != 0) {
      throw new IllegalArgumentException("chunk_index.index_period must be a whole number of hours from 1h to 7d, got "
          + indexPeriod);
    }
    if (indexCacheValidity.isNegative()) {
      throw new IllegalArgumentException("chunk_index.index_cache_validity must not be negative, got "
          + indexCacheValidity);
    }
    if (indexCacheMaxSizeMb < 0) {
      throw new IllegalArgumentException("chunk_index.index_cache_max_size_mb must not be negative, got "
          + indexCacheMaxSizeMb);
    }
  }

  public static ChunkIndexConfig defaults() {
    return new ChunkIndexConfig(null, null, null);
  }

  /** The period length in nanoseconds. */
  public long periodNanos() {
    return indexPeriod.toNanos();
  }

  /** The cache bound in bytes. */
  public long cacheMaxBytes() {
    return indexCacheMaxSizeMb * (1L << 20);
  }
}
