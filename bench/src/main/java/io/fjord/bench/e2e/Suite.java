package io.fjord.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end benchmark against any Loki-API endpoint on this machine. Optionally an unmeasured
 * warm-up ({@code --warmup-lines} per format), then ingest runs (one per client count × format, each
 * {@code --lines} fresh lines of its own seed; with the server's pid also its CPU time per line, JIT
 * and GC apart, counted until the server is idle again after the run), then visibility
 * latency, the query set over everything ingested, server RSS and bytes on disk; prints one
 * table. With {@code --recover-since-ms} it instead times a restarted server's recovery.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.fjord.bench.e2e.Suite --target http://127.0.0.1:3170 \
 *   --lines 1000000 --clients 1,2 --formats json,protobuf --batch 1000 --streams 4 \
 *   [--warmup-lines N] [--server-pid P] [--data-dir D] [--visibility-samples 50] [--query-runs 3 (0: no queries)] [--seed 42]
 * java -cp ... Suite --target ... --recover-since-ms EPOCH_MS --expect-needles N --window-start-ns T
 * </pre>
 */
public final class Suite {
  private Suite() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = parse(argv);
    LokiClient client = new LokiClient(a.getOrDefault("target", "http://127.0.0.1:3170"));
    if (a.containsKey("recover-since-ms")) {
      RecoveryProbe.Result r = RecoveryProbe.run(client, Long.parseLong(a.get("recover-since-ms")),
          Long.parseLong(a.get("expect-needles")), Long.parseLong(a.get("window-start-ns")),
          Integer.parseInt(a.getOrDefault("timeout-s", "120")));
      System.out.printf(Locale.ROOT, "| recovery: ready | %.2f s |%n| recovery: all %d needles queryable | %.2f s"
          + " (%d seen) |%n", r.readySeconds(), r.needlesExpected(), r.queryableSeconds(), r.needlesSeen());
      System.exit(Double.isNaN(r.queryableSeconds()) ? 1 : 0);
    }
    long lines = Long.parseLong(a.getOrDefault("lines", "1000000"));
    int batch = Integer.parseInt(a.getOrDefault("batch", "1000"));
    int streams = Integer.parseInt(a.getOrDefault("streams", "4"));
    long seed = Long.parseLong(a.getOrDefault("seed", "42"));
    List<Integer> clientCounts = new ArrayList<>();
    for (String c : a.getOrDefault("clients", "2").split(",")) {
      clientCounts.add(Integer.parseInt(c));
    }
    List<PushBodies.Format> formats = new ArrayList<>();
    for (String f : a.getOrDefault("formats", "json").split(",")) {
      formats.add(PushBodies.Format.valueOf(f.toUpperCase(Locale.ROOT)));
    }
    long pid = a.containsKey("server-pid") ? Long.parseLong(a.get("server-pid"))
        : ServerProbe.pidListeningOn(java.net.URI.create(a.getOrDefault("target", "http://127.0.0.1:3170")).getPort());
    long warmupLines = Long.parseLong(a.getOrDefault("warmup-lines", "0"));
    long windowStart = Long.MAX_VALUE;
    long totalRaw = 0;
    long totalLines = 0;
    List<String> rows = new ArrayList<>();
    rows.add("| measure | value |");
    rows.add("|---|---:|");
    int run = 0;
    if (warmupLines > 0) { // unmeasured, so that the measured runs see a JVM past its JIT warm-up
      int maxClients = clientCounts.stream().mapToInt(Integer::intValue).max().orElse(2);
      for (PushBodies.Format format : formats) {
        long base = (System.currentTimeMillis() - 20 * 60_000L) * 1_000_000L;
        windowStart = Math.min(windowStart, base);
        PushDriver.Result r = PushDriver.run(client,
            PushBodies.encode(new BenchData(seed + 1000 + run++, streams, base), warmupLines, batch, format), maxClients);
        totalRaw += r.rawBytes();
        totalLines += r.lines();
        System.err.printf(Locale.ROOT, "warm-up: %,d %s lines, %d clients, %,.0f lines/s%n", r.lines(), format,
            maxClients, r.linesPerSecond());
      }
      if (pid > 0) {
        ServerCpu.awaitQuiet(pid, 30);
      }
      rows.add(String.format(Locale.ROOT, "| warm-up before the measured runs (not counted) | %,d lines per format |",
          warmupLines));
    }
    for (PushBodies.Format format : formats) {
      for (int clients : clientCounts) {
        long base = (System.currentTimeMillis() - 20 * 60_000L) * 1_000_000L;
        windowStart = Math.min(windowStart, base);
        long e0 = System.nanoTime();
        PushBodies.Encoded bodies = PushBodies.encode(new BenchData(seed + run++, streams, base), lines, batch, format);
        System.err.printf(Locale.ROOT, "encoded %d %s bodies (%.1f MB raw, %.1f MB bodies) in %.1f s%n",
            bodies.bodies().size(), format, bodies.rawLineBytes() / 1e6, bodies.bodyBytes() / 1e6,
            (System.nanoTime() - e0) / 1e9);
        ServerCpu.Snapshot cpu0 = pid > 0 ? ServerCpu.read(pid) : null;
        PushDriver.Result r = PushDriver.run(client, bodies, clients);
        String cpu = "";
        if (pid > 0) {
          ServerCpu.awaitQuiet(pid, 30); // count the ingester's consumption of this run with it
          ServerCpu.Snapshot used = ServerCpu.read(pid).minus(cpu0);
          cpu = String.format(Locale.ROOT, "; server CPU %.1f s = %.2f µs/line (work %.2f µs/line, JIT %.1f s, GC %.1f s)",
              used.totalSeconds(), used.totalSeconds() * 1e6 / r.lines(), used.workSeconds() * 1e6 / r.lines(),
              used.jitSeconds(), used.gcSeconds());
        }
        totalRaw += r.rawBytes();
        totalLines += r.lines();
        rows.add(String.format(Locale.ROOT,
            "| ingest %s, %d client(s), %,d lines (%.0f B/line), batch %d, %d streams | %,.0f lines/s, %.1f MB/s raw;"
                + " %.2f s; request p50 %.1f ms p99 %.1f ms; client CPU %.1f s (%.0f%% of one core)%s |",
            format, clients, r.lines(), (double) r.rawBytes() / r.lines(), batch, streams, r.linesPerSecond(),
            r.rawMBPerSecond(), r.seconds(), r.latency().p50Ms(), r.latency().p99Ms(), r.clientCpuSeconds(),
            100 * r.clientCpuSeconds() / r.seconds(), cpu));
        System.err.println(rows.get(rows.size() - 1));
      }
    }
    int samples = Integer.parseInt(a.getOrDefault("visibility-samples", "50"));
    VisibilityProbe.Result v = VisibilityProbe.run(client, samples, Long.toString(System.currentTimeMillis()));
    rows.add(String.format(Locale.ROOT, "| visibility 204 → queryable (%d samples, idle server) | p50 %.1f ms, p99 %.1f"
        + " ms, max %.1f ms, %d timed out (>10 s) |", samples, v.latency().p50Ms(), v.latency().p99Ms(),
        v.latency().maxMs(), v.timeouts()));
    long end = System.currentTimeMillis() * 1_000_000L + 60_000_000_000L;
    int runs = Integer.parseInt(a.getOrDefault("query-runs", "3"));
    List<QueryDriver.Result> queries = runs > 0
        ? QueryDriver.run(client, windowStart - 60_000_000_000L, end, totalRaw, runs) : List.of();
    for (QueryDriver.Result q : queries) {
      rows.add(q.error() != null
          ? String.format(Locale.ROOT, "| query `%s` | refused: %s |", q.query().logql(), q.error())
          : String.format(Locale.ROOT, "| query `%s` (%,d lines, %.0f MB raw) | median %.0f ms (max of %d:"
              + " %.0f ms); %d results%s; stats %.1f MB/s (%.1f MB processed); raw/latency %.0f MB/s |",
              q.query().logql(), totalLines, totalRaw / 1e6, q.latency().p50Ms(), q.latency().count(),
              q.latency().maxMs(), q.resultSize(), q.firstValue().isEmpty() ? "" : " (value " + q.firstValue() + ")",
              q.lokiBytesPerSecond() / 1e6, q.lokiBytesProcessed() / 1e6,
              q.ownBytesPerSecond() / 1e6));
    }
    if (pid > 0) {
      rows.add(String.format(Locale.ROOT, "| server RSS (pid %d) after %,d lines | %.0f MB |", pid, totalLines,
          ServerProbe.rssBytes(pid) / 1e6));
    }
    if (a.containsKey("data-dir")) {
      Path dir = Path.of(a.get("data-dir"));
      long apparent = ServerProbe.apparentBytes(dir);
      long allocated = ServerProbe.allocatedBytes(dir);
      rows.add(String.format(Locale.ROOT, "| data dir %s for %.0f MB raw | %.0f MB apparent (%.2f per raw byte),"
          + " %.0f MB allocated (%.2f per raw byte) |", dir, totalRaw / 1e6, apparent / 1e6,
          (double) apparent / totalRaw, allocated / 1e6, (double) allocated / totalRaw));
    }
    rows.add(String.format(Locale.ROOT, "| needles ingested (for the recovery check) | %d |",
        totalLines / BenchData.NEEDLE_EVERY));
    rows.add(String.format(Locale.ROOT, "| window start ns | %d |", windowStart - 60_000_000_000L));
    rows.forEach(System.out::println);
  }

  private static Map<String, String> parse(String[] argv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + argv[i]);
      }
      m.put(argv[i].substring(2), argv[++i]);
    }
    return m;
  }
}
