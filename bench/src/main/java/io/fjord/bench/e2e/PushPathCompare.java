package io.fjord.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Before/after comparison of {@link PushPathBenchmark}'s operations between two builds of
 * {@code bench/target/benchmarks.jar}, each loaded in its own class loader inside this one JVM,
 * timed in this thread's CPU time in alternating rounds (0.7 s of CPU each, 2 warm-up rounds, the
 * median of 7). Alternating in one process gives both builds the same machine load, which a
 * machine shared with other builds does not give two runs one after the other.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.fjord.bench.e2e.PushPathCompare BEFORE.jar AFTER.jar 4 validate,pushJson
 * </pre>
 */
public final class PushPathCompare {
  private static final String BLACKHOLE_OK =
      "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";

  private PushPathCompare() {}

  public static void main(String[] args) throws Exception {
    String[] jars = {args[0], args[1]};
    int streams = Integer.parseInt(args[2]);
    String[] ops = args[3].split(",");
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Object[] bench = new Object[2];
    Object[] blackholes = new Object[2];
    Class<?>[] classes = new Class<?>[2];
    for (int j = 0; j < 2; j++) {
      URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jars[j]).toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      classes[j] = loader.loadClass(PushPathBenchmark.class.getName());
      Constructor<?> c = classes[j].getDeclaredConstructor();
      bench[j] = c.newInstance();
      Field f = classes[j].getDeclaredField("streams");
      f.setAccessible(true);
      f.setInt(bench[j], streams);
      classes[j].getMethod("setUp").invoke(bench[j]);
      blackholes[j] = loader.loadClass("org.openjdk.jmh.infra.Blackhole").getConstructor(String.class)
          .newInstance(BLACKHOLE_OK);
    }
    for (String op : ops) {
      double[][] rounds = new double[2][7];
      for (int r = -2; r < 7; r++) {
        for (int j = 0; j < 2; j++) {
          Method m = Arrays.stream(classes[j].getMethods()).filter(x -> x.getName().equals(op)).findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no operation " + op));
          Object[] callArgs = m.getParameterCount() == 0 ? new Object[0] : new Object[] {blackholes[j]};
          long t0 = cpu.getCurrentThreadCpuTime();
          long calls = 0;
          while (cpu.getCurrentThreadCpuTime() - t0 < 700_000_000L) {
            for (int i = 0; i < 10; i++) {
              m.invoke(bench[j], callArgs);
            }
            calls += 10;
          }
          if (r >= 0) {
            rounds[j][r] = (cpu.getCurrentThreadCpuTime() - t0) / (double) calls / 1e3;
          }
        }
      }
      Arrays.sort(rounds[0]);
      Arrays.sort(rounds[1]);
      System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %+.0f%% |%n", op, streams, rounds[0][3], rounds[1][3],
          100 * (rounds[1][3] / rounds[0][3] - 1));
    }
  }
}
