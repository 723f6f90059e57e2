package io.fjord.bench;

import io.fjord.schemas.chunk.ChunkCodec;
import java.util.Collection;
import java.util.HashMap;
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
 * Runs {@link ChunkCodecBenchmark} and prints the codec tables of bench/RESULTS.md: for each data set,
 * chunk format and codec, the stored size against the raw line bytes (measured directly, after
 * checking that every chunk decodes back to its entries) and the encode, decode and scan speed in
 * MB/s of raw lines on one core (from JMH's time per operation). Arguments: {@code --quick} short
 * iterations for a smoke test; {@code --datasets generated,conformance,e2e}; {@code --codecs
 * zstd,lz4}; {@code --formats 2,1}; {@code --level N} (zstd level, default
 * {@link ChunkCodec#DEFAULT_ZSTD_LEVEL}).
 */
public final class CodecReport {
  private CodecReport() {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    List<String> datasets = Datasets.ALL;
    List<String> codecs = java.util.Arrays.stream(ChunkCodec.values()).map(ChunkCodec::configName).toList();
    List<String> formats = List.of("2", "1");
    int level = ChunkCodec.DEFAULT_ZSTD_LEVEL;
    for (int i = 0; i < args.length - 1; i++) {
      switch (args[i]) {
        case "--datasets" -> datasets = List.of(args[i + 1].split(","));
        case "--codecs" -> codecs = List.of(args[i + 1].split(","));
        case "--formats" -> formats = List.of(args[i + 1].split(","));
        case "--level" -> level = Integer.parseInt(args[i + 1]);
        default -> { }
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
      for (String format : formats) {
        for (String codec : codecs) {
          List<byte[]> chunks = ChunkCodecBenchmark.encodeAll(streams, ChunkCodec.parse(codec),
              Integer.parseInt(format), level);
          ZstdLevelReport.verify(streams, chunks);
          storedBytes.put(ds + "/" + format + "/" + codec, chunks.stream().mapToLong(c -> c.length).sum());
        }
      }
    }

    ChainedOptionsBuilder opts = new OptionsBuilder()
        .include(ChunkCodecBenchmark.class.getSimpleName())
        .param("dataset", datasets.toArray(String[]::new))
        .param("codec", codecs.toArray(String[]::new))
        .param("format", formats.toArray(String[]::new))
        .param("level", String.valueOf(level))
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
      msPerOp.put(r.getParams().getParam("dataset") + "/" + r.getParams().getParam("format") + "/"
          + r.getParams().getParam("codec") + "/" + op, r.getPrimaryResult().getScore());
    }

    System.out.println();
    for (Map.Entry<String, long[]> e : rawByDataset.entrySet()) {
      String ds = e.getKey();
      long lineBytes = e.getValue()[0];
      System.out.printf(Locale.ROOT, "%n### %s: %d streams, %d entries, %.1f MB of lines (zstd level %d)%n%n", ds,
          e.getValue()[2], e.getValue()[1], lineBytes / 1e6, level);
      System.out.println("| format | codec | stored bytes | raw / stored | stored per raw byte | encode MB/s "
          + "| decode MB/s | scan MB/s |");
      System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
      for (String format : formats) {
        for (String codec : codecs) {
          String key = ds + "/" + format + "/" + codec;
          long stored = storedBytes.get(key);
          System.out.printf(Locale.ROOT, "| v%s | %s | %,d | %.2f× | %.3f | %s | %s | %s |%n", format, codec, stored,
              (double) lineBytes / stored, (double) stored / lineBytes, mbps(lineBytes, msPerOp.get(key + "/encode")),
              mbps(lineBytes, msPerOp.get(key + "/decode")), mbps(lineBytes, msPerOp.get(key + "/scan")));
        }
      }
    }
  }

  private static String mbps(long bytes, Double ms) {
    return ms == null ? "-" : String.format(Locale.ROOT, "%,.0f", bytes / 1e6 / (ms / 1000));
  }
}
