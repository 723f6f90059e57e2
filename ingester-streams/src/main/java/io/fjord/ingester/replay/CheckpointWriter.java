package io.fjord.ingester.replay;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes replay checkpoints off the stream threads, on one thread of its own, newest first: a
 * checkpoint submitted while an older one of the same partition waits replaces it, and one
 * partition's checkpoints are written in the order they were computed (any one of them is true;
 * a newer one only lets replay skip more). A failed write is logged and counted; the partition
 * submits again at its next interval. Thread-safe.
 */
public final class CheckpointWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

  private final CheckpointStore store;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fjord-checkpoint-writer");
    t.setDaemon(true);
    return t;
  });
  /** Guarded by itself: the newest checkpoint waiting per partition. */
  private final Map<Integer, ReplayCheckpoint> waiting = new HashMap<>();
  private final LongAdder written = new LongAdder();
  private final LongAdder failed = new LongAdder();

  public CheckpointWriter(CheckpointStore store) {
    this.store = store;
  }

  /** Queues {@code c} to be written soon; returns at once. */
  public void submit(ReplayCheckpoint c) {
    submitted(c);
  }

  /** Writes {@code c} (after the ones queued before it), waiting at most {@code timeout}; true when written. */
  public boolean write(ReplayCheckpoint c, Duration timeout) {
    Future<Boolean> f = submitted(c);
    if (f == null) {
      return false;
    }
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private Future<Boolean> submitted(ReplayCheckpoint c) {
    synchronized (waiting) {
      waiting.put(c.partition(), c);
    }
    try {
      return thread.submit(() -> writeWaiting(c.partition()));
    } catch (RejectedExecutionException closed) {
      return null;
    }
  }

  /** Writes the newest waiting checkpoint of {@code partition}, if one still waits; true unless a write failed. */
  private boolean writeWaiting(int partition) {
    ReplayCheckpoint c;
    synchronized (waiting) {
      c = waiting.remove(partition);
    }
    if (c == null) {
      return true; // a newer submit's task wrote it already
    }
    try {
      store.write(c);
      written.increment();
      return true;
    } catch (RuntimeException e) {
      failed.increment();
      log.warn("writing the replay checkpoint of partition {} failed (the next one will be tried): {}", partition,
          e.toString());
      return false;
    }
  }

  public long written() {
    return written.sum();
  }

  public long failed() {
    return failed.sum();
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }
}
