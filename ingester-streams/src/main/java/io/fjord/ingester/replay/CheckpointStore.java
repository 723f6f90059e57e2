package io.fjord.ingester.replay;

import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStoreUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the replay checkpoints of one ingester application live in the object store: one object per
 * partition under {@code .fjord-checkpoints/<application_id>/<logs topic>/<partition>} (a tenant
 * cannot start with ".fjord", so no tenant's chunks collide with it). It is the {@link ReplayStart}
 * of a task: a missing object means "from the log start"; an unreadable one is logged as an error
 * and also replays from the log start (more work, never a loss); a store that does not answer is
 * retried for a while and then fails the task's start, which Kafka Streams retries.
 * Thread-safe.
 */
public final class CheckpointStore implements ReplayStart {
  private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
  static final String PREFIX = ".fjord-checkpoints";

  private final ObjectStore store;
  private final String applicationId;
  private final String topic;
  private final Duration readPatience;

  /**
   * @param readPatience how long {@link #checkpoint} keeps retrying a store that does not answer
   */
  public CheckpointStore(ObjectStore store, String applicationId, String topic, Duration readPatience) {
    this.store = store;
    this.applicationId = applicationId;
    this.topic = topic;
    this.readPatience = readPatience;
  }

  public String key(int partition) {
    return PREFIX + "/" + applicationId + "/" + topic + "/" + partition;
  }

  /** The stored checkpoint, if any. Throws {@link CheckpointFormatException} for an unreadable one. */
  public Optional<ReplayCheckpoint> read(int partition) {
    String key = key(partition);
    return store.get(key).map(bytes -> ReplayCheckpointCodec.decode(key, bytes));
  }

  public void write(ReplayCheckpoint checkpoint) {
    store.put(key(checkpoint.partition()), ReplayCheckpointCodec.encode(checkpoint));
  }

  @Override
  public ReplayCheckpoint checkpoint(int partition) {
    long deadline = System.nanoTime() + readPatience.toNanos();
    long wait = 100;
    while (true) {
      try {
        ReplayCheckpoint c = read(partition).orElse(null);
        if (c == null) {
          log.info("{} {}: no replay checkpoint at {}; replaying from the log start", topic, partition, key(partition));
          return ReplayCheckpoint.none(partition);
        }
        if (c.partition() != partition) {
          log.error("{} {}: the checkpoint at {} is for partition {}; replaying from the log start", topic, partition,
              key(partition), c.partition());
          return ReplayCheckpoint.none(partition);
        }
        return c;
      } catch (CheckpointFormatException e) {
        log.error("{} {}: {}; replaying from the log start", topic, partition, e.getMessage());
        return ReplayCheckpoint.none(partition);
      } catch (ObjectStoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot read the replay checkpoint of " + topic + " " + partition + ": "
              + e.getMessage(), e);
        }
        log.warn("{} {}: reading the replay checkpoint failed, retrying: {}", topic, partition, e.getMessage());
        try {
          TimeUnit.MILLISECONDS.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new ReplayAbortedException("interrupted while reading the replay checkpoint of partition " + partition);
        }
        wait = Math.min(wait * 2, 5_000);
      }
    }
  }
}
