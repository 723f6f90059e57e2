package io.fjord.ingester.chunk;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory chunks of every stream of one logs-topic partition, keyed by {@link StreamKey}, and
 * how many streams each tenant has here (for the stream limit).
 *
 * <p>Thread-safety: a single writer (the partition's stream task) creates streams; readers look
 * them up concurrently (a concurrent map). Each {@link StreamMemory} states its own contract.
 */
public final class PartitionMemory {
  private final int partition;
  private final ChunkSettings settings;
  private final ConcurrentHashMap<StreamKey, StreamMemory> streams = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> streamsPerTenant = new ConcurrentHashMap<>();

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
    return m != null ? m : create(key);
  }

  /** Creates the memory of a stream this partition does not hold yet. Writer only. */
  public StreamMemory create(StreamKey key) {
    StreamMemory m = new StreamMemory(key, settings);
    if (streams.putIfAbsent(key, m) != null) {
      throw new IllegalStateException("stream already held: " + key);
    }
    streamsPerTenant.computeIfAbsent(key.tenant(), t -> new AtomicInteger()).incrementAndGet();
    return m;
  }

  /**
   * Forgets a stream that holds nothing any more (all its chunks flushed and dropped), so that it
   * no longer counts under the tenant's stream limit. Writer only.
   */
  public void remove(StreamMemory stream) {
    if (streams.remove(stream.key(), stream)) {
      AtomicInteger n = streamsPerTenant.get(stream.key().tenant());
      if (n != null) {
        n.decrementAndGet();
      }
    }
  }

  /** How many streams {@code tenant} has in this partition. Any thread. */
  public int streamCount(String tenant) {
    AtomicInteger n = streamsPerTenant.get(tenant);
    return n == null ? 0 : n.get();
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
