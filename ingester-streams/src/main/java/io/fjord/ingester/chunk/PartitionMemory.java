package io.fjord.ingester.chunk;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory chunks of every stream of one logs-topic partition, keyed by {@link StreamKey}.
 *
 * <p>Thread-safety: a single writer (the partition's stream task) creates streams; readers look
 * them up concurrently (a concurrent map). Each {@link StreamMemory} states its own contract.
 */
public final class PartitionMemory {
  private final int partition;
  private final ChunkSettings settings;
  private final ConcurrentHashMap<StreamKey, StreamMemory> streams = new ConcurrentHashMap<>();

  public PartitionMemory(int partition, ChunkSettings settings) {
    this.partition = partition;
    this.settings = settings;
  }

  public int partition() {
    return partition;
  }

  /** The stream's memory, or {@code null} when this partition holds nothing of it. Any thread. */
  public StreamMemory get(StreamKey key) {
    return streams.get(key);
  }

  /** The stream's memory, created empty when new. Writer only. */
  public StreamMemory getOrCreate(StreamKey key) {
    StreamMemory m = streams.get(key);
    if (m == null) {
      m = new StreamMemory(key, settings);
      streams.put(key, m);
    }
    return m;
  }

  /** A live view of all streams. Any thread (weakly consistent iteration). */
  public Collection<StreamMemory> streams() {
    return Collections.unmodifiableCollection(streams.values());
  }

  public int streamCount() {
    return streams.size();
  }

  /**
   * The offset replay must start from to rebuild this memory: the oldest first-unflushed offset
   * over all streams, or -1 when nothing is held. Any thread.
   */
  public long replayOffset() {
    long min = Long.MAX_VALUE;
    for (StreamMemory m : streams.values()) {
      long o = m.firstUnflushedOffset();
      if (o >= 0) {
        min = Math.min(min, o);
      }
    }
    return min == Long.MAX_VALUE ? -1 : min;
  }
}
