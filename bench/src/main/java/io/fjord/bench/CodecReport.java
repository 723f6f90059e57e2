package io.fjord.bench;

import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ChunkCodecBenchmark} and prints the codec table of bench/RESULTS.md: for each data set
 * and codec, the stored size against the raw line bytes (measured directly, after checking that
 * every chunk decodes back to its entries) and the encode and decode speed in MB/s of raw lines on
 * one core (from JMH's time per operation). {@code --quick} runs short iterations for a smoke test;
 * {@code --datasets generated} limits the data sets.
 */
public final class CodecReport {
  private CodecReport() {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    List<String> datasets = new ArrayList<>(List.of("generated", "conformance"));
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--datasets")) {
        datasets = List.of(args[i + 1].split(","));
      }
    }
    Map<String, long[]> rawByDataset = new LinkedHashMap<>(); // line bytes, entries, streams
    Map<String, Long> storedBytes = new HashMap<>();
    for (String ds : datasets) {
      List<LogCorpus.Stream> streams = Datasets.load(ds);
      long lineBytes = 0;
      long entries = 0;
      for (LogCorpus.Stream s : streams) {
        lineBytes += s.lineBytes();
        entries += s.entries().size();
      }
      rawByDataset.put(ds, new long[] {lineBytes, entries, streams.size()});
      for (ChunkCodec codec : ChunkCodec.values()) {
        List<byte[]> chunks = ChunkCodecBenchmark.encodeAll(streams, codec);
        verify(streams, chunks);
        storedBytes.put(ds + "/" + codec.configName(), chunks.stream().mapToLong(c -> c.length).sum());
      }
    }

    ChainedOptionsBuilder opts = new OptionsBuilder()
        .include(ChunkCodecBenchmark.class.getSimpleName())
        .param("dataset", datasets.toArray(String[]::new))
        .jvmArgsAppend("-D" + Datasets.CONFORMANCE_PROPERTY + "=" + Datasets.conformancePath().toAbsolutePath());
    if (quick) {
      opts.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
          .measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(opts.build()).run();

    Map<String, Double> msPerOp = new HashMap<>();
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String op = bench.substring(bench.lastIndexOf('.') + 1);
      msPerOp.put(r.getParams().getParam("dataset") + "/" + r.getParams().getParam("codec") + "/" + op,
          r.getPrimaryResult().getScore());
    }

    System.out.println();
    for (Map.Entry<String, long[]> e : rawByDataset.entrySet()) {
      String ds = e.getKey();
      long lineBytes = e.getValue()[0];
      System.out.printf(Locale.ROOT, "%n### %s: %d streams, %d entries, %.1f MB of lines%n%n", ds, e.getValue()[2],
          e.getValue()[1], lineBytes / 1e6);
      System.out.println("| codec | stored bytes | raw / stored | stored per raw byte | encode MB/s | decode MB/s |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      for (ChunkCodec codec : ChunkCodec.values()) {
        String key = ds + "/" + codec.configName();
        long stored = storedBytes.get(key);
        System.out.printf(Locale.ROOT, "| %s | %,d | %.2f× | %.3f | %s | %s |%n", codec.configName(), stored,
            (double) lineBytes / stored, (double) stored / lineBytes,
            mbps(lineBytes, msPerOp.get(key + "/encode")), mbps(lineBytes, msPerOp.get(key + "/decode")));
      }
    }
  }

  private static String mbps(long bytes, Double ms) {
    return ms == null ? "-" : String.format(Locale.ROOT, "%,.0f", bytes / 1e6 / (ms / 1000));
  }

  /** Every chunk must read back exactly: a benchmark of a broken codec would be worthless. */
  private static void verify(List<LogCorpus.Stream> streams, List<byte[]> chunks) {
    for (int i = 0; i < streams.size(); i++) {
      Iterator<LogEntry> it = ChunkReader.of("verify", chunks.get(i)).entries(ScanDirection.FORWARD);
      for (LogEntry expected : streams.get(i).entries()) {
        if (!it.hasNext() || !it.next().equals(expected)) {
          throw new IllegalStateException("stream " + i + " does not read back");
        }
      }
      if (it.hasNext()) {
        throw new IllegalStateException("stream " + i + " reads back extra entries");
      }
    }
  }
}
