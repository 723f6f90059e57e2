package io.fjord.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time a server process has used, read from Linux's /proc: the whole process
 * ({@code /proc/PID/stat}, which keeps the time of threads that have ended) and, of that, what the
 * JVM's JIT compiler threads and GC threads used (by thread name in {@code /proc/PID/task/*}/stat).
 * On this 2-core machine CPU per line is a steadier figure than lines/s, which moves with whatever
 * else the machine runs, and it separates the JVM's warm-up (JIT) from the work itself. Linux
 * only; a snapshot is a value, the class is stateless.
 */
final class ServerCpu {
  /** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100.0;

  /** CPU seconds used so far: all of it, and the JIT's and GC's shares. */
  record Snapshot(double totalSeconds, double jitSeconds, double gcSeconds) {
    Snapshot minus(Snapshot earlier) {
      return new Snapshot(totalSeconds - earlier.totalSeconds, jitSeconds - earlier.jitSeconds,
          gcSeconds - earlier.gcSeconds);
    }

    /** What is neither JIT nor GC: the server's own work (HTTP, Kafka, ingester, ...). */
    double workSeconds() {
      return totalSeconds - jitSeconds - gcSeconds;
    }
  }

  private ServerCpu() {}

  static Snapshot read(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    double total = ticks(Files.readString(proc.resolve("stat"))) / TICKS;
    double jit = 0;
    double gc = 0;
    try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
          jit += ticks(stat) / TICKS;
        } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
          gc += ticks(stat) / TICKS;
        }
      }
    }
    return new Snapshot(total, jit, gc);
  }

  /**
   * Waits until the server has been nearly idle (under 10% of one core) for half a second, at most
   * {@code maxSeconds}, so that work still queued after the last answer (the ingester consuming
   * what was acknowledged) is counted with the run that caused it.
   */
  static void awaitQuiet(long pid, double maxSeconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    double last = read(pid).totalSeconds();
    while (System.nanoTime() < deadline) {
      Thread.sleep(500); // a benchmark driver pacing its probe, not a test
      double now = read(pid).totalSeconds();
      if (now - last < 0.05) {
        return;
      }
      last = now;
    }
  }

  /** utime + stime (fields 14 and 15) of a stat line; the name field may hold spaces, so count after ')'. */
  private static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
