package io.fjord.bench.query;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link LogPipelineBenchmark} and {@link SampleBenchmark} timed in this thread's CPU time instead
 * of wall time, so that figures stay readable on a machine shared with other builds (JMH's wall
 * clock scores swung by over 100% at load averages of 10-20 on 2 cores). For every parameter:
 * 3 s of warm-up, then the median of 7 rounds of 1 s, as CPU ms per pass over the 100,000 lines
 * and MB/s of raw lines per core. A filter argument keeps only the parameters that contain it.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.fjord.bench.query.QueryReport [substring]
 * </pre>
 */
public final class QueryReport {
  private QueryReport() {}

  public static void main(String[] args) throws Exception {
    String only = args.length > 0 ? args[0] : "";
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long bytes = QueryLines.generate(42, LogPipelineBenchmark.LINES).bytes();
    System.out.printf(Locale.ROOT, "%d lines, %.1f MB of lines%n", LogPipelineBenchmark.LINES, bytes / 1e6);
    System.out.println("| query | CPU ms per pass (median of 7) | MB/s per core | spread (ms) |");
    System.out.println("|---|---:|---:|---|");
    for (String p : params(LogPipelineBenchmark.class, "pipeline")) {
      if (!p.contains(only)) {
        continue;
      }
      LogPipelineBenchmark b = new LogPipelineBenchmark();
      b.pipeline = p;
      b.setUp();
      report(cpu, "`" + p + "`", bytes, b::scan);
    }
    for (String q : params(SampleBenchmark.class, "query")) {
      if (!q.contains(only)) {
        continue;
      }
      SampleBenchmark b = new SampleBenchmark();
      b.query = q;
      b.setUp();
      report(cpu, "`" + q + "`", bytes, b::extract);
    }
  }

  private static List<String> params(Class<?> type, String field) throws NoSuchFieldException {
    Field f = type.getField(field);
    return new ArrayList<>(Arrays.asList(f.getAnnotation(Param.class).value()));
  }

  private static double sink;

  private static void report(ThreadMXBean cpu, String name, long bytes, DoubleSupplier op) {
    run(cpu, op, 3_000_000_000L);
    double[] rounds = new double[7];
    for (int r = 0; r < rounds.length; r++) {
      rounds[r] = run(cpu, op, 1_000_000_000L);
    }
    Arrays.sort(rounds);
    double median = rounds[rounds.length / 2];
    System.out.printf(Locale.ROOT, "| %s | %.2f | %.0f | %.2f-%.2f |%n", name.replace("|", "\\|"), median / 1e6,
        bytes / (median / 1e9) / 1e6, rounds[0] / 1e6, rounds[rounds.length - 1] / 1e6);
  }

  /** Runs {@code op} until this thread has used {@code cpuNanos}; returns CPU ns per call. */
  private static double run(ThreadMXBean cpu, DoubleSupplier op, long cpuNanos) {
    long start = cpu.getCurrentThreadCpuTime();
    long calls = 0;
    long used;
    do {
      sink += op.getAsDouble();
      calls++;
      used = cpu.getCurrentThreadCpuTime() - start;
    } while (used < cpuNanos);
    return (double) used / calls;
  }
}
