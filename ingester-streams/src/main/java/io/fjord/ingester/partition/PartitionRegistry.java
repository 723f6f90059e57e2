package io.fjord.ingester.partition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions whose tasks are running in this instance right now: stream tasks register their
 * {@link PartitionState} when they start and unregister it when they close (a rebalance moved the
 * partition, or shutdown); queries read every registered partition. Thread-safe (concurrent map).
 */
public final class PartitionRegistry {
  private final ConcurrentHashMap<Integer, PartitionState> partitions = new ConcurrentHashMap<>();

  public void register(PartitionState state) {
    partitions.put(state.partition(), state);
  }

  /** Removes {@code state} if it is still the registered one for its partition. */
  public void unregister(PartitionState state) {
    partitions.remove(state.partition(), state);
  }

  /** The registered partitions, by partition number. */
  public List<PartitionState> all() {
    List<PartitionState> out = new ArrayList<>(partitions.values());
    out.sort(Comparator.comparingInt(PartitionState::partition));
    return out;
  }

  public PartitionState get(int partition) {
    return partitions.get(partition);
  }
}
