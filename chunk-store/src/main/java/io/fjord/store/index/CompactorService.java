package io.fjord.store.index;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code compactor} role's loop: runs {@link IndexCompactor#runOnce} at start and then every
 * {@code compaction_interval} on one daemon thread at the lowest priority (recompression, which runs on
 * it, is background work; its rate limit, not the priority, is what bounds its CPU on Linux). A failed
 * run is logged and counted, and the next one starts over. Close it to stop (waits for a run in
 * progress; a recompression waiting on its rate limit is interrupted and stops). Thread-safe.
 */
public final class CompactorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompactorService.class);

  private final IndexCompactor compactor;
  private final ScheduledExecutorService scheduler;
  private final AtomicReference<CompactionReport> last = new AtomicReference<>();
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong failedRuns = new AtomicLong();

  private CompactorService(IndexCompactor compactor) {
    this.compactor = Objects.requireNonNull(compactor, "compactor");
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fjord-compactor");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
  }

  /** Starts the loop; the first run begins at once. */
  public static CompactorService start(IndexCompactor compactor) {
    CompactorService s = new CompactorService(compactor);
    long interval = compactor.config().compactionInterval().toMillis();
    s.scheduler.scheduleWithFixedDelay(s::runSafely, 0, interval, TimeUnit.MILLISECONDS);
    return s;
  }

  private void runSafely() {
    try {
      last.set(compactor.runOnce());
    } catch (RuntimeException e) {
      failedRuns.incrementAndGet();
      LOG.warn("compactor run failed, next in {}: {}", compactor.config().compactionInterval(), e.toString());
    } finally {
      runs.incrementAndGet();
    }
  }

  /** The report of the last successful run, or null before the first. */
  public CompactionReport lastReport() {
    return last.get();
  }

  /** Runs finished so far, successful or not. */
  public long runs() {
    return runs.get();
  }

  public long failedRuns() {
    return failedRuns.get();
  }

  /** Running totals of the compactor's recompression. */
  public RecompressionStats recompressionStats() {
    return compactor.recompressionStats();
  }

  @Override
  public void close() {
    scheduler.shutdownNow(); // interrupts a recompression waiting on its rate limit; nothing else blocks on it
    try {
      if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
