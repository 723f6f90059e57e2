package io.fjord.store.index;

import io.fjord.store.local.LocalObjectStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Not a test: the measurement behind bench/RESULTS.md "Compactor recompression". Runs one compactor
 * pass with recompression over a copy of a {@code fjord all} chunk directory (its clock two days on,
 * so today's period is old enough; no rate limit, compaction_delete_delay 0s), and prints the stored
 * bytes before and after against the raw line bytes, and the CPU time of the pass. Then a second
 * pass, which must do nothing. Run it on a copy: it rewrites the directory's index.
 *
 * <pre>
 * java -cp launcher/target/fjord.jar:chunk-store/target/fjord-chunk-store-0.1.0-SNAPSHOT-tests.jar \
 *   io.fjord.store.index.RecompressionBench &lt;chunk directory&gt; &lt;zstd level&gt;
 * </pre>
 */
public final class RecompressionBench {
  private RecompressionBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int level = Integer.parseInt(args[1]);
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofDays(2));
    CompactorConfig config = CompactorConfig.defaults().withCompactionDeleteDelay(Duration.ZERO)
        .withRecompression(Duration.ofHours(6), level, 0);
    try (LocalObjectStore store = new LocalObjectStore(dir)) {
      System.out.printf("chunk objects before: %d, %d bytes%n", count(dir), bytes(dir));
      IndexCompactor compactor = new IndexCompactor(store, ChunkIndexConfig.defaults(), config, clock);
      long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      compactor.runOnce();
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;
      RecompressionStats s = compactor.recompressionStats();
      System.out.printf("level %d: %d chunks, %d -> %d bytes, raw lines %d: %.2fx -> %.2fx less than raw;"
          + " kept %d, failed %d; %.1f s wall, %.1f s CPU, %.2f MB of lines per CPU-second%n", level, s.chunks(),
          s.bytesBefore(), s.bytesAfter(), s.rawBytes(), (double) s.rawBytes() / s.bytesBefore(),
          (double) s.rawBytes() / s.bytesAfter(), s.keptChunks(), s.failures(), wall, cpu,
          s.rawBytes() / 1048576.0 / cpu);
      System.out.println("second pass: " + compactor.runOnce());
    }
    System.out.printf("chunk objects after (the old ones stay for retention_delete_delay): %d, %d bytes%n",
        count(dir), bytes(dir));
  }

  private static Stream<Path> chunkFiles(Path dir, Stream<Path> all) {
    return all.filter(p -> Files.isRegularFile(p) && dir.relativize(p).getNameCount() == 4
        && dir.relativize(p).getName(1).toString().equals("chunks"));
  }

  private static long count(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return chunkFiles(dir, s).count();
    }
  }

  private static long bytes(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return chunkFiles(dir, s).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
