package io.fjord.bench.e2e;

import java.util.Random;

/**
 * The end-to-end benchmark's log lines: a seeded mix of logfmt service logs (35%), JSON application
 * logs (30%), nginx access logs (30%) and multi-line Java stack traces (5%), about 130 bytes a line
 * on average. Line {@code i} belongs to stream {@code i % streams} and carries timestamp
 * {@code baseNanos + i * 1000}, so each stream's timestamps increase. Exactly one line in
 * {@link #NEEDLE_EVERY} contains the word {@code needle} (line {@code i} with
 * {@code i % NEEDLE_EVERY == NEEDLE_AT}), so filter queries scan everything and return a count the
 * suite knows in advance. The same seed gives the same lines. Not thread-safe (one Random).
 */
final class BenchData {
  static final int NEEDLE_EVERY = 10_000;
  static final int NEEDLE_AT = 7_777;
  static final String APP = "bench";

  private static final String[] LEVELS = {"info", "info", "info", "info", "info", "debug", "debug", "warn", "error"};
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"};
  private static final String[] PATHS = {"/api/v1/cart", "/api/v1/orders", "/api/v1/products", "/healthz",
      "/api/v1/checkout", "/api/v1/search", "/metrics", "/api/v1/users"};
  private static final int[] STATUS = {200, 200, 200, 200, 200, 200, 201, 204, 304, 400, 404, 500, 502, 503};
  private static final String[] MSGS = {"request done", "cache miss", "cache hit", "retrying upstream",
      "slow query", "payment authorized", "cart updated", "order placed", "upstream timeout"};
  private static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64)", "curl/8.11.0", "kube-probe/1.31",
      "okhttp/4.12.0", "python-requests/2.32.3"};
  private static final String[] FRAMES = {"com.shop.StockService.reserve(StockService.java:%d)",
      "com.shop.StockController.post(StockController.java:%d)", "java.base/java.lang.Thread.run(Thread.java:1583)"};

  private final Random random;
  private final int streams;
  private final long baseNanos;

  BenchData(long seed, int streams, long baseNanos) {
    this.random = new Random(seed);
    this.streams = streams;
    this.baseNanos = baseNanos;
  }

  int streams() {
    return streams;
  }

  /** Labels of stream {@code s} as Loki label text. */
  static String streamLabels(int s) {
    return "{app=\"" + APP + "\", env=\"prod\", stream=\"s" + s + "\"}";
  }

  static int streamOf(long i, int streams) {
    return (int) (i % streams);
  }

  long timestampNanos(long i) {
    return baseNanos + i * 1000;
  }

  /** Line {@code i}; must be called with i = 0, 1, 2, ... for the output to depend only on the seed. */
  String line(long i) {
    boolean needle = i % NEEDLE_EVERY == NEEDLE_AT;
    String msg = needle ? "needle found" : MSGS[random.nextInt(MSGS.length)];
    int kind = random.nextInt(100);
    String level = LEVELS[random.nextInt(LEVELS.length)];
    int status = STATUS[random.nextInt(STATUS.length)];
    String path = PATHS[random.nextInt(PATHS.length)];
    if (kind < 35) {
      return "level=" + level + " caller=handler.go:" + (40 + random.nextInt(400)) + " msg=\"" + msg + "\" path=" + path + " status=" + status + " dur="
          + random.nextInt(900) + "ms user=u" + random.nextInt(99_999) + " trace_id=" + Long.toHexString(random.nextLong());
    } else if (kind < 65) {
      return "{\"level\":\"" + level + "\",\"msg\":\"" + msg + "\",\"path\":\"" + path + "\",\"status\":" + status + ",\"duration_ms\":" + random.nextInt(2000) + ",\"order\":"
          + random.nextInt(9_999_999) + ",\"trace\":\"" + Long.toHexString(random.nextLong()) + "\"}";
    } else if (kind < 95) {
      return "10.0." + random.nextInt(256) + "." + random.nextInt(256) + " - - [23/Nov/2026:12:" + (10 + random.nextInt(50)) + ":" + (10 + random.nextInt(50))
          + " +0000] \"" + METHODS[random.nextInt(
          METHODS.length)] + " " + path + " HTTP/1.1\" " + status + " " + random.nextInt(20_000) + " \""
          + AGENTS[random.nextInt(AGENTS.length)] + "\" rt=0." + (100 + random.nextInt(900)) + (needle ? " needle" : "");
    }
    StringBuilder b = new StringBuilder("level=error msg=\"" + msg + "\" java.lang.IllegalStateException: sku "
        + random.nextInt(99_999) + " would go negative");
    for (String f : FRAMES) {
      b.append("\n\tat ").append(String.format(f, 20 + random.nextInt(400)));
    }
    return b.toString();
  }
}
