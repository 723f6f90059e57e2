package io.fjord.ingester.readiness;

import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * Whether an instance has caught up with its partitions: for every owned partition, the offsets
 * seen when it was assigned ({@link Target}) are reached by what the task has processed, or were
 * already reached by the group's committed offset, or there was nothing to read (the log is empty
 * or retention removed everything). Pure and stateless.
 */
public final class CatchUp {
  private CatchUp() {}

  /**
   * The offsets of one partition as seen at assignment.
   *
   * @param end the log end offset (the offset the next record will get)
   * @param committed the group's committed offset (the next to read), -1 when none
   * @param earliest the log start offset
   */
  public record Target(long end, long committed, long earliest) {}

  /**
   * @param owned the partitions owned now
   * @param targets the targets known so far, by partition
   * @param lastProcessed the last offset the partition's task processed, -1 if none
   */
  public static boolean caughtUp(Set<Integer> owned, Map<Integer, Target> targets, IntToLongFunction lastProcessed) {
    for (int p : owned) {
      Target t = targets.get(p);
      if (t == null) {
        return false;
      }
      boolean nothingToRead = t.end() <= t.earliest() || t.committed() >= t.end();
      if (!nothingToRead && lastProcessed.applyAsLong(p) + 1 < t.end()) {
        return false;
      }
    }
    return true;
  }
}
