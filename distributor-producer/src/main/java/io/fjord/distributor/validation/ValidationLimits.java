package io.fjord.distributor.validation;

import io.fjord.common.config.LimitsConfig;
import java.time.Duration;

/**
 * The limits one push is validated against, in the units the validator uses. Built from Loki's
 * {@code limits_config} plus the record size the Kafka side allows. The structured-metadata limits
 * are Loki's defaults ({@code max_structured_metadata_size} 64KB,
 * {@code max_structured_metadata_entries_count} 128) until {@link LimitsConfig} carries them.
 * Immutable.
 *
 * @param maxLineBytes longest line in UTF-8 bytes; 0 = no limit
 * @param maxRecordBytes largest Kafka record value; an entry that cannot fit one is rejected
 */
public record ValidationLimits(
    long maxLineBytes,
    boolean truncateLongLines,
    int maxLabelNameLength,
    int maxLabelValueLength,
    int maxLabelNamesPerSeries,
    boolean rejectOldSamples,
    Duration rejectOldSamplesMaxAge,
    Duration creationGracePeriod,
    long maxStructuredMetadataBytes,
    int maxStructuredMetadataEntries,
    long maxRecordBytes) {

  public static final long DEFAULT_MAX_STRUCTURED_METADATA_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_STRUCTURED_METADATA_ENTRIES = 128;

  public static ValidationLimits from(LimitsConfig limits, long maxRecordBytes) {
    return new ValidationLimits(
        limits.maxLineSize().bytes(),
        limits.maxLineSizeTruncate(),
        limits.maxLabelNameLength(),
        limits.maxLabelValueLength(),
        limits.maxLabelNamesPerSeries(),
        limits.rejectOldSamples(),
        limits.rejectOldSamplesMaxAge(),
        limits.creationGracePeriod(),
        DEFAULT_MAX_STRUCTURED_METADATA_BYTES,
        DEFAULT_MAX_STRUCTURED_METADATA_ENTRIES,
        maxRecordBytes);
  }
}
