package io.fjord.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link PushPathBenchmark}'s operations timed in this thread's CPU time rather than wall time:
 * on a machine shared with other builds (load averages of 10-25 on 2 cores while this was written)
 * JMH's wall-clock scores swing by more than 100%, while the CPU time an operation takes stays
 * within a few percent. Warms each operation up for 5 s, then reports the median of 9 rounds of
 * 1 s as µs of CPU per push and ns per line (a push is 1000 lines). Complements JMH; not a
 * replacement for its figures on a quiet machine.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.fjord.bench.e2e.PushPathReport [streams...]
 * </pre>
 */
public final class PushPathReport {
  private PushPathReport() {}

  public static void main(String[] args) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Blackhole bh = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    String[] streamCounts = args.length > 0 ? args : new String[] {"4", "250"};
    System.out.println("| operation | streams | CPU µs per push (median of 9) | ns per line | spread (min-max µs) |");
    System.out.println("|---|---:|---:|---:|---|");
    for (String streams : streamCounts) {
      PushPathBenchmark b = new PushPathBenchmark();
      b.streams = Integer.parseInt(streams);
      b.setUp();
      Map<String, Runnable> ops = new LinkedHashMap<>();
      ops.put("decodeJson", () -> bh.consume(b.decodeJson()));
      ops.put("decodeProtobuf", () -> bh.consume(b.decodeProtobuf()));
      ops.put("validate", () -> bh.consume(b.validate()));
      ops.put("encodeRecords", () -> b.encodeRecords(bh));
      ops.put("pushJson", () -> b.pushJson(bh));
      ops.put("pushProtobuf", () -> b.pushProtobuf(bh));
      for (Map.Entry<String, Runnable> op : ops.entrySet()) {
        run(cpu, op.getValue(), 5_000_000_000L);
        double[] rounds = new double[9];
        for (int r = 0; r < rounds.length; r++) {
          rounds[r] = run(cpu, op.getValue(), 1_000_000_000L);
        }
        Arrays.sort(rounds);
        double median = rounds[rounds.length / 2];
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.0f | %.1f-%.1f |%n", op.getKey(), streams, median / 1e3,
            median / 1000, rounds[0] / 1e3, rounds[rounds.length - 1] / 1e3);
      }
    }
  }

  /** Runs {@code op} until this thread has used {@code cpuNanos}; returns CPU ns per call. */
  private static double run(ThreadMXBean cpu, Runnable op, long cpuNanos) {
    long start = cpu.getCurrentThreadCpuTime();
    long calls = 0;
    long used;
    do {
      for (int i = 0; i < 10; i++) {
        op.run();
      }
      calls += 10;
      used = cpu.getCurrentThreadCpuTime() - start;
    } while (used < cpuNanos);
    return (double) used / calls;
  }
}
