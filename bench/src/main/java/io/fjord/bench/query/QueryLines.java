package io.fjord.bench.query;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The lines the query benchmarks scan: the same seeded mix as the end-to-end suite's data (35%
 * logfmt service logs, 30% JSON application logs, 30% nginx access logs, 5% multi-line Java stack
 * traces, about 130 bytes a line), with the word {@code needle} in exactly one line of
 * {@link #NEEDLE_EVERY}, so a filter scans everything and keeps few lines. Immutable once built.
 */
final class QueryLines {
  static final int NEEDLE_EVERY = 10_000;

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

  private final String[] lines;
  private final long bytes;

  private QueryLines(String[] lines) {
    this.lines = lines;
    long b = 0;
    for (String l : lines) {
      b += l.getBytes(StandardCharsets.UTF_8).length;
    }
    this.bytes = b;
  }

  /** {@code count} lines from {@code seed}. */
  static QueryLines generate(long seed, int count) {
    Random random = new Random(seed);
    String[] lines = new String[count];
    for (int i = 0; i < count; i++) {
      lines[i] = line(random, i % NEEDLE_EVERY == 7_777);
    }
    return new QueryLines(lines);
  }

  String[] lines() {
    return lines;
  }

  /** UTF-8 bytes of all lines. */
  long bytes() {
    return bytes;
  }

  private static String line(Random random, boolean needle) {
    String msg = needle ? "needle found" : MSGS[random.nextInt(MSGS.length)];
    int kind = random.nextInt(100);
    String level = LEVELS[random.nextInt(LEVELS.length)];
    int status = STATUS[random.nextInt(STATUS.length)];
    String path = PATHS[random.nextInt(PATHS.length)];
    if (kind < 35) {
      return "level=" + level + " caller=handler.go:" + (40 + random.nextInt(400)) + " msg=\"" + msg + "\" path="
          + path + " status=" + status + " dur=" + random.nextInt(900) + "ms user=u" + random.nextInt(99_999)
          + " trace_id=" + Long.toHexString(random.nextLong());
    } else if (kind < 65) {
      return "{\"level\":\"" + level + "\",\"msg\":\"" + msg + "\",\"path\":\"" + path + "\",\"status\":" + status
          + ",\"duration_ms\":" + random.nextInt(2000) + ",\"order\":" + random.nextInt(9_999_999) + ",\"trace\":\""
          + Long.toHexString(random.nextLong()) + "\"}";
    } else if (kind < 95) {
      return "10.0." + random.nextInt(256) + "." + random.nextInt(256) + " - - [23/Nov/2026:12:"
          + (10 + random.nextInt(50)) + ":" + (10 + random.nextInt(50)) + " +0000] \""
          + METHODS[random.nextInt(METHODS.length)] + " " + path + " HTTP/1.1\" " + status + " "
          + random.nextInt(20_000) + " \"" + AGENTS[random.nextInt(AGENTS.length)] + "\" rt=0."
          + (100 + random.nextInt(900)) + (needle ? " needle" : "");
    }
    StringBuilder b = new StringBuilder("level=error msg=\"" + msg + "\" java.lang.IllegalStateException: sku "
        + random.nextInt(99_999) + " would go negative");
    for (String f : FRAMES) {
      b.append("\n\tat ").append(String.format(f, 20 + random.nextInt(400)));
    }
    return b.toString();
  }
}
