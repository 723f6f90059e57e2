package io.fjord.ingester.stream;

import java.util.function.IntSupplier;

/**
 * Loki's per-tenant {@code max_global_streams_per_user} turned local. A tenant's streams spread
 * over the logs topic's partitions by the hash of their fingerprint, so each partition admits
 * {@code ceil(limit / partitions)} streams of one tenant; a record that would start one more is
 * refused (dead-lettered with {@link #message}), while the tenant's existing streams keep
 * accepting entries. 0 means unlimited.
 *
 * <p>The distributor cannot enforce this limit: Kafka decouples it from the ingesters, and it
 * does not know which streams they hold, so the push carrying the refused stream was already
 * acknowledged. As in Loki, the limit protects the ingesters' memory: a tenant cannot make a
 * partition hold an unbounded number of streams. The partition count is read when a task starts
 * ({@code partitionCount}), so a topic that gains partitions takes effect at the next rebalance.
 * Immutable; thread-safe if {@code partitionCount} is.
 */
public record StreamLimit(int maxGlobalStreamsPerUser, IntSupplier partitionCount) {
  public StreamLimit {
    if (maxGlobalStreamsPerUser < 0) {
      throw new IllegalArgumentException("max_global_streams_per_user must not be negative");
    }
  }

  /** No limit. */
  public static StreamLimit unlimited() {
    return new StreamLimit(0, () -> 1);
  }

  /** The most streams one tenant may have in one partition now; {@link Integer#MAX_VALUE} when unlimited. */
  public int perPartition() {
    return maxGlobalStreamsPerUser == 0 ? Integer.MAX_VALUE : perPartition(maxGlobalStreamsPerUser,
        partitionCount.getAsInt());
  }

  /** {@code ceil(globalLimit / partitions)}; {@link Integer#MAX_VALUE} when {@code globalLimit} is 0. */
  static int perPartition(int globalLimit, int partitions) {
    if (globalLimit == 0) {
      return Integer.MAX_VALUE;
    }
    if (partitions <= 0) {
      throw new IllegalArgumentException("the logs topic has no partitions");
    }
    return (globalLimit + partitions - 1) / partitions;
  }

  /** Loki's text for a refused stream. */
  static String message(String tenant) {
    return "Maximum active stream limit exceeded, reduce the number of active streams (reduce labels or reduce"
        + " label values), or contact your Loki administrator to see if the limit can be increased, user: '"
        + tenant + "'";
  }
}
