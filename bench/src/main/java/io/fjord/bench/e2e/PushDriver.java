package io.fjord.bench.e2e;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends pre-encoded push bodies with {@code clients} concurrent senders, each taking the next body
 * as soon as its previous request was answered; every answer must be 204 or the run fails. Reports
 * lines/s, MB/s of raw lines, request latency and the CPU time this client process spent meanwhile
 * (so its share of the 2 cores is known). One run per instance; not reusable.
 */
final class PushDriver {
  /** Figures of one ingest run. */
  record Result(PushBodies.Format format, int clients, long lines, long rawBytes, long bodyBytes, double seconds,
      Percentiles latency, double clientCpuSeconds) {
    double linesPerSecond() {
      return lines / seconds;
    }

    double rawMBPerSecond() {
      return rawBytes / seconds / 1e6;
    }
  }

  private PushDriver() {}

  static Result run(LokiClient client, PushBodies.Encoded bodies, int clients) throws Exception {
    int n = bodies.bodies().size();
    long[] latencies = new long[n];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    try {
      List<Future<?>> senders = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        senders.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            long s = System.nanoTime();
            client.push(bodies.bodies().get(i), bodies.format().contentType);
            latencies[i] = System.nanoTime() - s;
          }
          return null;
        }));
      }
      for (Future<?> f : senders) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    return new Result(bodies.format(), clients, bodies.lines(), bodies.rawLineBytes(), bodies.bodyBytes(), seconds,
        Percentiles.of(latencies), cpu);
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
