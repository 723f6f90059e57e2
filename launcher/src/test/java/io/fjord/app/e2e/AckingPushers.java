package io.fjord.app.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Clients that push continuously to a distributor until stopped, each on its own thread, and
 * remember which lines were answered 204 (promised) and which were not (may or may not be stored).
 * Client c's batch b holds {@value #LINES_PER_BATCH} lines with the timestamps
 * {@code start + b ms + c us + i ns}: every line has its own timestamp and its own text, and batch b
 * of every client lies in {@code [start + b ms, start + (b + 1) ms)}, so a reader can split the
 * range by batches. Thread-safe: the counters and sets are read by the test thread while clients run.
 */
final class AckingPushers implements AutoCloseable {
  static final int LINES_PER_BATCH = 100;
  static final int SHARDS = 3;

  private final String pushUrl;
  private final String app;
  private final long batchIntervalNanos;
  final long start;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  final Set<String> unanswered = ConcurrentHashMap.newKeySet();
  private final AtomicInteger maxBatches = new AtomicInteger();
  private final AtomicInteger failedPushes = new AtomicInteger();

  /**
   * @param linesPerSecond the pace of all clients together, so that a run lasts long enough for
   *     kills and rebalances to fall in the middle of it; 0 pushes as fast as the distributor answers
   */
  AckingPushers(String distributorUrl, String app, long startNanos, int clients, int linesPerSecond) {
    this.pushUrl = distributorUrl + "/loki/api/v1/push";
    this.batchIntervalNanos = linesPerSecond == 0 ? 0 : 1_000_000_000L * LINES_PER_BATCH * clients / linesPerSecond;
    this.app = app;
    this.start = startNanos;
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> run(client), "pusher-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  static String line(int client, int batch, int i) {
    return "client " + client + " batch " + batch + " line " + i;
  }

  int acknowledgedCount() {
    return acknowledged.size();
  }

  /** Batches every client has started, at most: the timestamps end before {@code start + batches() ms}. */
  int batches() {
    return maxBatches.get();
  }

  int failedPushes() {
    return failedPushes.get();
  }

  private void run(int client) {
    long t0 = System.nanoTime();
    for (int b = 0; !stop.get(); b++) {
      long due = t0 + b * batchIntervalNanos;
      for (long wait = due - System.nanoTime(); wait > 0 && !stop.get(); wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait); // pacing of a load generator, not a wait for a condition
      }
      if (stop.get()) {
        break;
      }
      maxBatches.accumulateAndGet(b + 1, Math::max);
      StringBuilder values = new StringBuilder();
      List<String> lines = new ArrayList<>(LINES_PER_BATCH);
      for (int i = 0; i < LINES_PER_BATCH; i++) {
        String line = line(client, b, i);
        lines.add(line);
        long ts = start + b * 1_000_000L + client * 1_000L + i;
        values.append(i == 0 ? "" : ",").append("[\"").append(ts).append("\",\"").append(line).append("\"]");
      }
      String body = "{\"streams\":[{\"stream\":{\"app\":\"" + app + "\",\"client\":\"" + client + "\",\"shard\":\""
          + (b % SHARDS) + "\"},\"values\":[" + values + "]}]}";
      boolean ok = false;
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(pushUrl)).timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.discarding());
        ok = r.statusCode() == 204;
      } catch (Exception e) {
        // no answer: the push was never promised
      }
      if (ok) {
        acknowledged.addAll(lines);
      } else {
        failedPushes.incrementAndGet();
        unanswered.addAll(lines);
      }
    }
  }

  /** Stops every client after its current push and waits for it. */
  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(60_000);
    }
  }
}
