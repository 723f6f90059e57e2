package io.fjord.ingester.partition;

import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.index.IndexUnavailableException;
import io.fjord.ingester.index.StreamIndex;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logs-topic partition this instance owns, as queries reach it: its memory chunks and its
 * index, the last offset the task processed, and whether the task has finished replaying the
 * partition (before that, queries see what is replayed so far and the instance is not ready).
 *
 * <p>Thread-safety: the partition's stream task writes; HTTP threads read through {@link #read},
 * which holds a read lock so that {@link #close} (called by the task before Kafka Streams closes
 * the index store) waits for running queries and later queries skip the partition. The lock is
 * never held by the writer while ingesting.
 */
public final class PartitionState {
  private static final Logger log = LoggerFactory.getLogger(PartitionState.class);
  private final int partition;
  private final PartitionMemory memory;
  private final StreamIndex index;
  private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
  private boolean closed;
  private volatile long lastOffset = -1;
  private volatile boolean replayed;

  public PartitionState(int partition, PartitionMemory memory, StreamIndex index) {
    this.partition = partition;
    this.memory = memory;
    this.index = index;
  }

  public int partition() {
    return partition;
  }

  /** For the writer; readers go through {@link #read}. */
  public PartitionMemory memory() {
    return memory;
  }

  /** For the writer; readers go through {@link #read}. */
  public StreamIndex index() {
    return index;
  }

  /** The offset of the last record processed, -1 before the first. */
  public long lastOffset() {
    return lastOffset;
  }

  public void processed(long offset) {
    lastOffset = offset;
  }

  /** Whether memory and index have been rebuilt from the log up to where the task resumed. */
  public boolean replayed() {
    return replayed;
  }

  /** Called by the task once its replay is done. */
  public void replayDone() {
    replayed = true;
  }

  /**
   * Runs {@code reader} while the partition is open; empty when it has been closed, or when its
   * index store turns out to be closed already (its task died without closing this state).
   */
  public <T> Optional<T> read(Function<PartitionState, T> reader) {
    guard.readLock().lock();
    try {
      return closed ? Optional.empty() : Optional.ofNullable(reader.apply(this));
    } catch (IndexUnavailableException e) {
      log.warn("partition {}: index unavailable, no longer serving it from here: {}", partition, e.getMessage());
      return Optional.empty();
    } finally {
      guard.readLock().unlock();
    }
  }

  /** Waits for running readers, then turns later ones away. */
  public void close() {
    guard.writeLock().lock();
    try {
      closed = true;
    } finally {
      guard.writeLock().unlock();
    }
  }
}
