package io.fjord.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Measures push-to-queryable latency: pushes one line carrying a unique marker into the stream
 * {@code {app="bench-probe"}}, starts the clock at the 204, and polls query_range (every 5 ms, at
 * most 10 s) until the marker line is returned. Samples that never become visible count as
 * timeouts. Single-threaded.
 */
final class VisibilityProbe {
  private static final long TIMEOUT_NANOS = 10_000_000_000L;

  /** Latencies of the visible samples, and how many timed out. */
  record Result(Percentiles latency, int timeouts) {}

  private VisibilityProbe() {}

  static Result run(LokiClient client, int samples, String runId) throws Exception {
    long[] visible = new long[samples];
    int seen = 0;
    int timeouts = 0;
    for (int k = 0; k < samples; k++) {
      String marker = "visibility-" + runId + "-" + k;
      long ts = System.currentTimeMillis() * 1_000_000L;
      StringBuilder b = new StringBuilder("{\"streams\":[{\"stream\":{\"app\":\"bench-probe\"},\"values\":[[\"")
          .append(ts).append("\",\"");
      PushBodies.escape("probe " + marker, b);
      b.append("\"]]}]}");
      client.push(b.toString().getBytes(StandardCharsets.UTF_8), "application/json");
      long t0 = System.nanoTime();
      String query = "{app=\"bench-probe\"} |= \"" + marker + "\"";
      boolean found = false;
      while (System.nanoTime() - t0 < TIMEOUT_NANOS) {
        LokiClient.Answer a = client.queryRange(query, ts - 1_000_000_000L, ts + 60_000_000_000L, 10, null);
        if (a.status() == 200 && a.json() != null && a.json().path("data").path("result").size() > 0) {
          found = true;
          break;
        }
        Thread.sleep(5);
      }
      if (found) {
        visible[seen++] = System.nanoTime() - t0;
      } else {
        timeouts++;
      }
    }
    return new Result(Percentiles.of(Arrays.copyOf(visible, seen)), timeouts);
  }
}
