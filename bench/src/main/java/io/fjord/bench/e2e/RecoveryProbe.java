package io.fjord.bench.e2e;

/**
 * Times a restarted server's recovery from a given start instant: until /ready answers 200, and
 * until the filter query returns every needle line ingested before the kill (so all the data is
 * back and queryable). Polls every 20 ms, gives up after {@code timeoutSeconds}. Single-threaded.
 */
final class RecoveryProbe {
  /** Seconds from the restart to ready and to queryable; NaN when not reached in time. */
  record Result(double readySeconds, double queryableSeconds, int needlesSeen, long needlesExpected) {}

  private RecoveryProbe() {}

  static Result run(LokiClient client, long startedAtMillis, long expectedNeedles, long windowStartNanos,
      int timeoutSeconds) throws Exception {
    long deadline = startedAtMillis + timeoutSeconds * 1000L;
    double ready = Double.NaN;
    while (System.currentTimeMillis() < deadline) {
      if (client.ready() == 200) {
        ready = (System.currentTimeMillis() - startedAtMillis) / 1e3;
        break;
      }
      Thread.sleep(20);
    }
    double queryable = Double.NaN;
    int seen = 0;
    while (!Double.isNaN(ready) && System.currentTimeMillis() < deadline) {
      LokiClient.Answer a = client.queryRange("{app=\"bench\"} |= \"needle\"", windowStartNanos,
          System.currentTimeMillis() * 1_000_000L + 60_000_000_000L, 5000, null);
      if (a.status() == 200 && a.json() != null) {
        seen = 0;
        for (var r : a.json().path("data").path("result")) {
          seen += r.path("values").size();
        }
        if (seen >= expectedNeedles) {
          queryable = (System.currentTimeMillis() - startedAtMillis) / 1e3;
          break;
        }
      }
      Thread.sleep(20);
    }
    return new Result(ready, queryable, seen, expectedNeedles);
  }
}
