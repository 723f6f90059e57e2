package io.fjord.app.e2e;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Queries while ingesters die and partitions move: a thread reads a random window of the batches
 * pushed so far through query_range, again and again, and keeps every line that one answer
 * returned more than once (invariant 2 holds at every moment, not only once things settled).
 * Failed queries (an ingester is down) are counted, not judged: a line may be missing while its
 * ingester is away. Thread-safe.
 */
final class DuplicateWatch implements AutoCloseable {
  private final ExactlyOnceCheck reader;
  private final IntSupplier pushedBatches;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile String firstFailure = "";
  final Map<String, List<ExactlyOnceCheck.Seen>> doubled = new ConcurrentHashMap<>();

  DuplicateWatch(ExactlyOnceCheck reader, IntSupplier pushedBatches) {
    this.reader = reader;
    this.pushedBatches = pushedBatches;
    this.thread = new Thread(this::run, "duplicate-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    Random random = new Random();
    while (!stop.get()) {
      LockSupport.parkNanos(300_000_000L); // a query every moment, not one after another on 2 cores
      int windows = Math.max(1, (pushedBatches.getAsInt() + reader.windowBatches() - 1) / reader.windowBatches());
      Map<String, List<ExactlyOnceCheck.Seen>> seen = new HashMap<>();
      try {
        reader.queryWindow(random.nextInt(windows) * reader.windowBatches(), seen);
        answered.incrementAndGet();
      } catch (Exception e) {
        if (failed.getAndIncrement() == 0) {
          firstFailure = String.valueOf(e.getMessage());
        }
        continue;
      }
      seen.forEach((line, entries) -> {
        if (entries.size() > 1) {
          doubled.putIfAbsent(line, entries);
        }
      });
    }
  }

  String summary() {
    String first = firstFailure;
    return answered.get() + " queries during the run answered, " + failed.get() + " failed"
        + (first.isEmpty() ? "" : " (first: " + first.substring(0, Math.min(200, first.length())) + ")");
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(120_000);
  }
}
