package io.fjord.store.index;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkFormat;
import java.time.Duration;

/**
 * The {@code compactor} section: how often the index is compacted and whether old chunks are
 * deleted, with the names of Loki's compactor and limits. Immutable; the constructor fills defaults
 * and refuses what cannot work, naming the key.
 *
 * @param compactionInterval how often the compactor role runs {@link IndexCompactor#runOnce}
 *     (Loki's {@code compaction_interval}, default {@code 10m})
 * @param retentionEnabled whether the compactor deletes chunks past the retention period (Loki's
 *     {@code retention_enabled}, default false)
 * @param retentionPeriod how long chunks are kept, by the time of their last entry (Loki's
 *     {@code retention_period}, default {@code 0s} = forever; otherwise at least {@code 24h}, as Loki
 *     requires). Every tenant's unless the compactor is given a {@link RetentionPolicy} (the
 *     launcher builds one from {@code limits_config})
 * @param retentionDeleteDelay how long after their index entries are removed the expired chunks
 *     themselves are deleted, so that readers still holding an older listing do not miss them (Loki's
 *     {@code retention_delete_delay}, default {@code 2h})
 * @param maxIndexObjectsPerPeriod how many index objects the current and the previous period may
 *     hold before they are compacted into one (default 8); older periods are compacted as soon as
 *     they hold two. A query opens at most about this many objects per recent day.
 * @param compactionDeleteDelay how long the index objects a compaction folded into a newer one are
 *     kept before a later run deletes them, so that a reader that listed them just before still
 *     finds them (default {@code 5m}; {@code 0s} deletes them in the same run, as soon as the newer
 *     object is written). Readers that list after the compaction skip them at once.
 * @param recompressAfter chunks whose newest entry is older than this are rewritten at
 *     {@code recompress_zstd_level} by the compactor ({@link PeriodRecompressor}), one whole index
 *     period at a time once the period ended that long ago (default {@code 6h}; {@code 0s} turns
 *     recompression off; otherwise at least {@code 1h}). Keep it at least
 *     {@code querier.query_ingesters_within}: the querier then never asks an ingester about the
 *     entries of a chunk that may be rewritten, nor lists such a chunk in {@code excludeChunks}
 * @param recompressZstdLevel the zstd level of rewritten chunks (default 19; 1..22)
 * @param recompressRateMb how many MB (2^20 bytes) of uncompressed lines per second recompression
 *     may encode, on the compactor's one thread (default 1: about half a core at level 19 on
 *     the benchmark machine, 86 GB of lines a day; {@code 0} = no limit)
 * @param recompressBlockSizeMb the uncompressed size, in MB (2^20 bytes), at which recompressed
 *     chunks are cut into blocks (default 2: at level 19, 7.0x less than the raw lines on the
 *     benchmark data against 6.5x with the flush's 256 KB blocks; a block is what a reader
 *     decompresses at least, so larger blocks cost queries with small limits a little more);
 *     {@code 0} keeps each chunk's own block size; at most 64
 */
public record CompactorConfig(
    @JsonProperty("compaction_interval") Duration compactionInterval,
    @JsonProperty("retention_enabled") Boolean retentionEnabled,
    @JsonProperty("retention_period") Duration retentionPeriod,
    @JsonProperty("retention_delete_delay") Duration retentionDeleteDelay,
    @JsonProperty("max_index_objects_per_period") Integer maxIndexObjectsPerPeriod,
    @JsonProperty("compaction_delete_delay") Duration compactionDeleteDelay,
    @JsonProperty("recompress_after") Duration recompressAfter,
    @JsonProperty("recompress_zstd_level") Integer recompressZstdLevel,
    @JsonProperty("recompress_rate_mb") Double recompressRateMb,
    @JsonProperty("recompress_block_size_mb") Integer recompressBlockSizeMb) {

  public static final Duration DEFAULT_COMPACTION_INTERVAL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RETENTION_DELETE_DELAY = Duration.ofHours(2);
  public static final int DEFAULT_MAX_INDEX_OBJECTS_PER_PERIOD = 8;
  public static final Duration DEFAULT_COMPACTION_DELETE_DELAY = Duration.ofMinutes(5);
  public static final Duration DEFAULT_RECOMPRESS_AFTER = Duration.ofHours(6);
  public static final Duration MIN_RECOMPRESS_AFTER = Duration.ofHours(1);
  public static final int DEFAULT_RECOMPRESS_ZSTD_LEVEL = 19;
  public static final double DEFAULT_RECOMPRESS_RATE_MB = 1;
  public static final int DEFAULT_RECOMPRESS_BLOCK_SIZE_MB = 2;
  /** Loki's floor for a retention period. */
  public static final Duration MIN_RETENTION_PERIOD = Duration.ofHours(24);

  public CompactorConfig {
    compactionInterval = compactionInterval != null ? compactionInterval : DEFAULT_COMPACTION_INTERVAL;
    retentionEnabled = retentionEnabled != null && retentionEnabled;
    retentionPeriod = retentionPeriod != null ? retentionPeriod : Duration.ZERO;
    retentionDeleteDelay = retentionDeleteDelay != null ? retentionDeleteDelay : DEFAULT_RETENTION_DELETE_DELAY;
    maxIndexObjectsPerPeriod = maxIndexObjectsPerPeriod != null ? maxIndexObjectsPerPeriod
        : DEFAULT_MAX_INDEX_OBJECTS_PER_PERIOD;
    compactionDeleteDelay = compactionDeleteDelay != null ? compactionDeleteDelay : DEFAULT_COMPACTION_DELETE_DELAY;
    recompressAfter = recompressAfter != null ? recompressAfter : DEFAULT_RECOMPRESS_AFTER;
    recompressZstdLevel = recompressZstdLevel != null ? recompressZstdLevel : DEFAULT_RECOMPRESS_ZSTD_LEVEL;
    recompressRateMb = recompressRateMb != null ? recompressRateMb : DEFAULT_RECOMPRESS_RATE_MB;
    recompressBlockSizeMb = recompressBlockSizeMb != null ? recompressBlockSizeMb : DEFAULT_RECOMPRESS_BLOCK_SIZE_MB;
    if (compactionInterval.isNegative() || compactionInterval.isZero()) {
      throw new IllegalArgumentException("compactor.compaction_interval must be positive, got " + compactionInterval);
    }
    if (retentionPeriod.isNegative() || (!retentionPeriod.isZero() && retentionPeriod.compareTo(MIN_RETENTION_PERIOD) < 0)) {
      throw new IllegalArgumentException("compactor.retention_period must be 0s (keep forever) or at least 24h, got "
          + retentionPeriod);
    }
    if (retentionDeleteDelay.isNegative()) {
      throw new IllegalArgumentException("compactor.retention_delete_delay must not be negative, got "
          + retentionDeleteDelay);
    }
    if (maxIndexObjectsPerPeriod < 1) {
      throw new IllegalArgumentException("compactor.max_index_objects_per_period must be at least 1, got "
          + maxIndexObjectsPerPeriod);
    }
    if (compactionDeleteDelay.isNegative()) {
      throw new IllegalArgumentException("compactor.compaction_delete_delay must not be negative, got "
          + compactionDeleteDelay);
    }
    if (recompressAfter.isNegative() || (!recompressAfter.isZero() && recompressAfter.compareTo(MIN_RECOMPRESS_AFTER) < 0)) {
      throw new IllegalArgumentException("compactor.recompress_after must be 0s (off) or at least 1h, got "
          + recompressAfter);
    }
    if (recompressZstdLevel < ChunkCodec.MIN_ZSTD_LEVEL || recompressZstdLevel > ChunkCodec.MAX_ZSTD_LEVEL) {
      throw new IllegalArgumentException("compactor.recompress_zstd_level must be in " + ChunkCodec.MIN_ZSTD_LEVEL
          + ".." + ChunkCodec.MAX_ZSTD_LEVEL + ", got " + recompressZstdLevel);
    }
    if (recompressRateMb.isNaN() || recompressRateMb < 0 || recompressRateMb.isInfinite()) {
      throw new IllegalArgumentException("compactor.recompress_rate_mb must be 0 (no limit) or a positive number, got "
          + recompressRateMb);
    }
    if (recompressBlockSizeMb < 0 || (long) recompressBlockSizeMb << 20 > ChunkFormat.MAX_BLOCK_RAW_SIZE) {
      throw new IllegalArgumentException("compactor.recompress_block_size_mb must be 0 (keep each chunk's own) or 1.."
          + (ChunkFormat.MAX_BLOCK_RAW_SIZE >> 20) + ", got " + recompressBlockSizeMb);
    }
  }

  public static CompactorConfig defaults() {
    return new CompactorConfig(null, null, null, null, null, null, null, null, null, null);
  }

  /** Compaction with retention on: chunks older than {@code period} are deleted after {@code deleteDelay}. */
  public static CompactorConfig withRetention(Duration period, Duration deleteDelay) {
    return new CompactorConfig(null, true, period, deleteDelay, null, null, null, null, null, null);
  }

  /** This config with {@code compaction_delete_delay} set to {@code delay}. */
  public CompactorConfig withCompactionDeleteDelay(Duration delay) {
    return new CompactorConfig(compactionInterval, retentionEnabled, retentionPeriod, retentionDeleteDelay,
        maxIndexObjectsPerPeriod, delay, recompressAfter, recompressZstdLevel, recompressRateMb, recompressBlockSizeMb);
  }

  /** The same config before recompression existed: the six compaction and retention settings, recompression at its defaults. */
  public CompactorConfig(Duration compactionInterval, Boolean retentionEnabled, Duration retentionPeriod,
      Duration retentionDeleteDelay, Integer maxIndexObjectsPerPeriod, Duration compactionDeleteDelay) {
    this(compactionInterval, retentionEnabled, retentionPeriod, retentionDeleteDelay, maxIndexObjectsPerPeriod,
        compactionDeleteDelay, null, null, null, null);
  }

  /** This config with recompression after {@code after} ({@code 0s}: off) at {@code level}, {@code rateMb} MB/s (0: no limit). */
  public CompactorConfig withRecompression(Duration after, int level, double rateMb) {
    return new CompactorConfig(compactionInterval, retentionEnabled, retentionPeriod, retentionDeleteDelay,
        maxIndexObjectsPerPeriod, compactionDeleteDelay, after, level, rateMb, recompressBlockSizeMb);
  }

  /** This config with recompressed chunks cut into blocks of {@code mb} MB ({@code 0}: each chunk's own block size). */
  public CompactorConfig withRecompressBlockSizeMb(int mb) {
    return new CompactorConfig(compactionInterval, retentionEnabled, retentionPeriod, retentionDeleteDelay,
        maxIndexObjectsPerPeriod, compactionDeleteDelay, recompressAfter, recompressZstdLevel, recompressRateMb, mb);
  }

  /** Whether old chunks are recompressed. */
  public boolean recompresses() {
    return !recompressAfter.isZero();
  }

  /**
   * How long after a swap the replaced chunk objects stay: the longer of {@code retention_delete_delay}
   * and {@code compaction_delete_delay}, as for expired chunks (a reader may hold an index listing
   * naming them for {@code index_cache_validity}, and a query may be reading them).
   */
  public Duration chunkDeleteDelay() {
    return retentionDeleteDelay.compareTo(compactionDeleteDelay) >= 0 ? retentionDeleteDelay : compactionDeleteDelay;
  }

  /** Whether this run deletes anything: retention enabled and a period other than forever. */
  public boolean retains() {
    return retentionEnabled && !retentionPeriod.isZero();
  }
}
