package io.fjord.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the benchmark's filter, regex, parser and metric queries over the ingested window, each
 * {@code runs} times in a row, and reports per query: the median latency, Loki's own
 * {@code stats.summary.bytesProcessedPerSecond}, the scan rate computed by the suite (raw line bytes
 * ingested ÷ latency), and the first error when the endpoint refuses the query. Single-threaded.
 */
final class QueryDriver {
  /**
   * One query of the suite; {@code metric} ones go to query_range with {@code step}, or, without a
   * step, to the instant endpoint at the window's end.
   */
  record Query(String name, String logql, boolean metric, String step) {}

  /** The figures of one query. */
  record Result(Query query, Percentiles latency, double lokiBytesPerSecond, long lokiBytesProcessed,
      double ownBytesPerSecond, int resultSize, String firstValue, String error) {}

  static final List<Query> QUERIES = List.of(
      new Query("filter |= needle", "{app=\"bench\"} |= \"needle\"", false, null),
      new Query("regex |~", "{app=\"bench\"} |~ \"needle|upstream timeout [0-9]\"", false, null),
      new Query("json | status >= 500", "{app=\"bench\"} |= \"{\" | json | status >= 500 |= \"needle\"", false, null),
      new Query("logfmt", "{app=\"bench\"} | logfmt | level=\"error\" |= \"needle\"", false, null),
      new Query("sum(count_over_time[1h])", "sum(count_over_time({app=\"bench\"}[1h]))", true, null),
      new Query("sum by(level) rate[1m]", "sum by (level) (rate({app=\"bench\"} | logfmt [1m]))", true, "60s"));

  private QueryDriver() {}

  static List<Result> run(LokiClient client, long startNanos, long endNanos, long rawBytes, int runs)
      throws Exception {
    List<Result> out = new ArrayList<>();
    for (Query q : QUERIES) {
      long[] lat = new long[runs];
      double lokiBps = Double.NaN;
      long lokiBytes = -1;
      int size = -1;
      String error = null;
      String firstValue = "";
      int done = 0;
      for (int r = 0; r < runs && error == null; r++) {
        long t0 = System.nanoTime();
        LokiClient.Answer a = q.metric() && q.step() == null
            ? client.instant(q.logql(), endNanos)
            : client.queryRange(q.logql(), startNanos, endNanos, 5000, q.step());
        lat[r] = System.nanoTime() - t0;
        if (a.status() != 200 || a.json() == null) {
          error = a.status() + " " + a.text().strip();
          break;
        }
        done++;
        JsonNode data = a.json().path("data");
        size = countResult(data);
        JsonNode v = data.path("result").path(0).path("value");
        firstValue = v.isMissingNode() ? "" : v.path(1).asText();
        JsonNode summary = data.path("stats").path("summary");
        lokiBps = summary.path("bytesProcessedPerSecond").asDouble(Double.NaN);
        lokiBytes = summary.path("totalBytesProcessed").asLong(-1);
      }
      Percentiles p = Percentiles.of(java.util.Arrays.copyOf(lat, done));
      out.add(new Result(q, p, lokiBps, lokiBytes, done == 0 ? Double.NaN : rawBytes / (p.p50Ms() / 1e3), size,
          firstValue, error));
    }
    return out;
  }

  /** Lines returned by a log query, or series returned by a metric query. */
  static int countResult(JsonNode data) {
    int n = 0;
    for (JsonNode r : data.path("result")) {
      n += r.has("values") && "streams".equals(data.path("resultType").asText()) ? r.path("values").size() : 1;
    }
    return n;
  }
}
