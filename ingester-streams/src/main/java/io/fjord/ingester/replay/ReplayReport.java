package io.fjord.ingester.replay;

import java.util.Locale;

/**
 * What one partition's replay did: the plan, how many records and value bytes it read, how many
 * entries it put back in memory, how many records it skipped (records that were dead-lettered or
 * refused when they first arrived: they are not dead-lettered twice), and how long it took.
 * Immutable.
 */
public record ReplayReport(ReplayPlan plan, long records, long bytes, long entries, long skipped, long nanos) {

  public double seconds() {
    return nanos / 1e9;
  }

  /** Value bytes per second, in MB (10^6 bytes). */
  public double megabytesPerSecond() {
    return nanos <= 0 ? 0 : bytes / 1e6 / seconds();
  }

  public double recordsPerSecond() {
    return nanos <= 0 ? 0 : records / seconds();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "replayed %s: %d records, %.1f MB, %d entries, %d skipped in %.3f s (%.1f MB/s, %.0f records/s)", plan,
        records, bytes / 1e6, entries, skipped, seconds(), megabytesPerSecond(), recordsPerSecond());
  }
}
