package io.fjord.store.index;

import com.fasterxml.jackson.annotation.JsonProperty;
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
 */
public record CompactorConfig(
    @JsonProperty("compaction_interval") Duration compactionInterval,
    @JsonProperty("retention_enabled") Boolean retentionEnabled,
    @JsonProperty("retention_period") Duration retentionPeriod,
    @JsonProperty("retention_delete_delay") Duration retentionDeleteDelay,
    @JsonProperty("max_index_objects_per_period") Integer maxIndexObjectsPerPeriod,
    @JsonProperty("compaction_delete_delay") Duration compactionDeleteDelay) {

  public static final Duration DEFAULT_COMPACTION_INTERVAL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RETENTION_DELETE_DELAY = Duration.ofHours(2);
  public static final int DEFAULT_MAX_INDEX_OBJECTS_PER_PERIOD = 8;
  public static final Duration DEFAULT_COMPACTION_DELETE_DELAY = Duration.ofMinutes(5);
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
  }

  public static CompactorConfig defaults() {
    return new CompactorConfig(null, null, null, null, null, null);
  }

  /** Compaction with retention on: chunks older than {@code period} are deleted after {@code deleteDelay}. */
  public static CompactorConfig withRetention(Duration period, Duration deleteDelay) {
    return new CompactorConfig(null, true, period, deleteDelay, null, null);
  }

  /** This config with {@code compaction_delete_delay} set to {@code delay}. */
  public CompactorConfig withCompactionDeleteDelay(Duration delay) {
    return new CompactorConfig(compactionInterval, retentionEnabled, retentionPeriod, retentionDeleteDelay,
        maxIndexObjectsPerPeriod, delay);
  }

  /** Whether this run deletes anything: retention enabled and a period other than forever. */
  public boolean retains() {
    return retentionEnabled && !retentionPeriod.isZero();
  }
}
