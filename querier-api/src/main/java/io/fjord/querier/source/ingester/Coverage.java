package io.fjord.querier.source.ingester;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which partitions of the logs topic the ingesters' answers to one request cover, and from which
 * answer each partition is taken (the first listing it, in the order given: membership order).
 * Coverage is unknown when the partition count is (0). An answer that does not list its partitions
 * (an older ingester) covers nothing: when the others do not cover everything, what it holds cannot
 * be told ({@code unlisted}). Partitions an answer lists beyond the count (the topic grew since the
 * count was read) are owned but not required. Pure; immutable.
 *
 * @param known whether the partition count is known
 * @param unlisted whether some answer does not list its partitions
 * @param missing the partitions {@code 0 .. count-1} no answer lists (empty when the count is unknown)
 * @param owners for every listed partition, the index of the answer it is taken from
 */
record Coverage(boolean known, boolean unlisted, SortedSet<Integer> missing, Map<Integer, Integer> owners) {
  Coverage {
    missing = Collections.unmodifiableSortedSet(new TreeSet<>(missing));
    owners = Map.copyOf(owners);
  }

  /**
   * @param partitionCount the logs topic's partition count, 0 when unknown
   * @param answered per answer, the partitions it lists, or null where it does not list them
   */
  static Coverage of(int partitionCount, List<List<Integer>> answered) {
    boolean known = partitionCount > 0;
    boolean unlisted = false;
    Map<Integer, Integer> owners = new HashMap<>();
    for (int i = 0; i < answered.size(); i++) {
      List<Integer> listed = answered.get(i);
      if (listed == null) {
        unlisted = true;
        continue;
      }
      for (Integer p : listed) {
        if (p != null) {
          owners.putIfAbsent(p, i);
        }
      }
    }
    TreeSet<Integer> missing = new TreeSet<>();
    if (known) {
      for (int p = 0; p < partitionCount; p++) {
        if (!owners.containsKey(p)) {
          missing.add(p);
        }
      }
    }
    return new Coverage(known, unlisted, missing, owners);
  }

  /** Whether the answers that list their partitions are known to cover every partition. */
  boolean complete() {
    return known && missing.isEmpty();
  }

  /** The answer {@code partition} is taken from, or null when no answer lists it. */
  Integer ownerOf(int partition) {
    return owners.get(partition);
  }
}
