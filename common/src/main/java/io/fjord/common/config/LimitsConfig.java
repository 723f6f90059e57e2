package io.fjord.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Per-tenant limits, the {@code limits_config} section. Names and defaults are Loki's. Every
 * field left out of the YAML takes its default here; {@link #defaults()} is the all-default set.
 * Immutable.
 */
public record LimitsConfig(
    /** Per-tenant ingestion rate in MB/s of line bytes, shared by all distributors' token buckets. */
    @JsonProperty("ingestion_rate_mb") Double ingestionRateMb,
    /** Per-tenant burst in MB. */
    @JsonProperty("ingestion_burst_size_mb") Double ingestionBurstSizeMb,
    /** Longest accepted line; 0 disables the limit. */
    @JsonProperty("max_line_size") ByteSize maxLineSize,
    /** Truncate lines over {@code max_line_size} instead of rejecting them. */
    @JsonProperty("max_line_size_truncate") Boolean maxLineSizeTruncate,
    @JsonProperty("max_label_name_length") Integer maxLabelNameLength,
    @JsonProperty("max_label_value_length") Integer maxLabelValueLength,
    @JsonProperty("max_label_names_per_series") Integer maxLabelNamesPerSeries,
    /** Reject entries older than {@code reject_old_samples_max_age}. */
    @JsonProperty("reject_old_samples") Boolean rejectOldSamples,
    @JsonProperty("reject_old_samples_max_age") Duration rejectOldSamplesMaxAge,
    /** Reject entries further in the future than this. */
    @JsonProperty("creation_grace_period") Duration creationGracePeriod,
    /** Most active streams of one tenant (global; each partition allows its share); 0 = unlimited. */
    @JsonProperty("max_global_streams_per_user") Integer maxGlobalStreamsPerUser,
    /** Most entries a log query may return. */
    @JsonProperty("max_entries_limit_per_query") Integer maxEntriesLimitPerQuery,
    /** Most series a metric query or the series API may return. */
    @JsonProperty("max_query_series") Integer maxQuerySeries,
    /** Longest time range a query may cover; 0 disables. */
    @JsonProperty("max_query_length") Duration maxQueryLength,
    @JsonProperty("query_timeout") Duration queryTimeout,
    /** Most sub-queries of one query (its time splits) run at once. */
    @JsonProperty("max_query_parallelism") Integer maxQueryParallelism,
    /** Queries are read in time intervals this long, run in parallel (log queries stop at their limit); 0 disables. */
    @JsonProperty("split_queries_by_interval") Duration splitQueriesByInterval,
    /**
     * How long the compactor keeps a tenant's chunks, by their newest entry; {@code 0s} = forever (then
     * {@code compactor.retention_period} applies), otherwise at least 24h. Applied only with
     * {@code compactor.retention_enabled}.
     */
    @JsonProperty("retention_period") Duration retentionPeriod,
    /** Path of the per-tenant overrides YAML (only {@code retention_period} for now), read at start-up; empty = none. */
    @JsonProperty("per_tenant_override_config") String perTenantOverrideConfig) {

  /** Loki's floor for a non-zero retention period. */
  public static final Duration MIN_RETENTION_PERIOD = Duration.ofHours(24);

  public LimitsConfig {
    ingestionRateMb = or(ingestionRateMb, 4.0);
    ingestionBurstSizeMb = or(ingestionBurstSizeMb, 6.0);
    maxLineSize = or(maxLineSize, ByteSize.ofKiB(256));
    maxLineSizeTruncate = or(maxLineSizeTruncate, false);
    maxLabelNameLength = or(maxLabelNameLength, 1024);
    maxLabelValueLength = or(maxLabelValueLength, 2048);
    maxLabelNamesPerSeries = or(maxLabelNamesPerSeries, 15);
    rejectOldSamples = or(rejectOldSamples, true);
    rejectOldSamplesMaxAge = or(rejectOldSamplesMaxAge, Duration.ofDays(7));
    creationGracePeriod = or(creationGracePeriod, Duration.ofMinutes(10));
    maxGlobalStreamsPerUser = or(maxGlobalStreamsPerUser, 5000);
    maxEntriesLimitPerQuery = or(maxEntriesLimitPerQuery, 5000);
    maxQuerySeries = or(maxQuerySeries, 500);
    maxQueryLength = or(maxQueryLength, Duration.ofDays(30).plusHours(1));
    queryTimeout = or(queryTimeout, Duration.ofMinutes(1));
    maxQueryParallelism = or(maxQueryParallelism, 32);
    splitQueriesByInterval = or(splitQueriesByInterval, Duration.ofHours(1));
    retentionPeriod = or(retentionPeriod, Duration.ZERO);
    perTenantOverrideConfig = or(perTenantOverrideConfig, "");
    if (retentionPeriod.isNegative() || (!retentionPeriod.isZero() && retentionPeriod.compareTo(MIN_RETENTION_PERIOD) < 0)) {
      throw new IllegalArgumentException("retention_period must be 0s (keep forever) or at least 24h, got "
          + retentionPeriod);
    }
    if (maxQueryParallelism < 1) {
      throw new IllegalArgumentException("max_query_parallelism must be at least 1, got " + maxQueryParallelism);
    }
    if (splitQueriesByInterval.isNegative()) {
      throw new IllegalArgumentException("split_queries_by_interval must not be negative, got " + splitQueriesByInterval);
    }
  }

  /** The limits without the retention keys (the callers written before them). */
  public LimitsConfig(Double ingestionRateMb, Double ingestionBurstSizeMb, ByteSize maxLineSize,
      Boolean maxLineSizeTruncate, Integer maxLabelNameLength, Integer maxLabelValueLength,
      Integer maxLabelNamesPerSeries, Boolean rejectOldSamples, Duration rejectOldSamplesMaxAge,
      Duration creationGracePeriod, Integer maxGlobalStreamsPerUser, Integer maxEntriesLimitPerQuery,
      Integer maxQuerySeries, Duration maxQueryLength, Duration queryTimeout, Integer maxQueryParallelism,
      Duration splitQueriesByInterval) {
    this(ingestionRateMb, ingestionBurstSizeMb, maxLineSize, maxLineSizeTruncate, maxLabelNameLength,
        maxLabelValueLength, maxLabelNamesPerSeries, rejectOldSamples, rejectOldSamplesMaxAge, creationGracePeriod,
        maxGlobalStreamsPerUser, maxEntriesLimitPerQuery, maxQuerySeries, maxQueryLength, queryTimeout,
        maxQueryParallelism, splitQueriesByInterval, null, null);
  }

  public static LimitsConfig defaults() {
    return new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }

  static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
