package io.fjord.bench;

import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encodes a whole data set into chunks (one chunk per stream, blocks of 256 KiB, Loki's
 * {@code chunk_block_size}), or decodes all of them entry by entry as a query scan does (CRC check,
 * decompression, parsing into {@link LogEntry}). One thread: the time per operation gives MB/s per
 * core of raw lines; {@link CodecReport} turns it into the table of bench/RESULTS.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class ChunkCodecBenchmark {
  static final int BLOCK_SIZE = 256 * 1024;

  @Param({"generated", "conformance"})
  public String dataset;

  @Param({"none", "gzip", "snappy", "lz4", "zstd"})
  public String codec;

  private List<LogCorpus.Stream> streams;
  private List<byte[]> chunks;
  private ChunkCodec chunkCodec;

  @Setup
  public void setUp() {
    chunkCodec = ChunkCodec.parse(codec);
    streams = Datasets.load(dataset);
    chunks = encodeAll(streams, chunkCodec);
  }

  @Benchmark
  public long encode() {
    long bytes = 0;
    for (LogCorpus.Stream s : streams) {
      bytes += ChunkEncoder.encode("fake", s.labels(), s.entries(), chunkCodec, BLOCK_SIZE).length;
    }
    return bytes;
  }

  @Benchmark
  public void decode(Blackhole bh) {
    for (int i = 0; i < chunks.size(); i++) {
      Iterator<LogEntry> it = ChunkReader.of("bench-" + i, chunks.get(i)).entries(ScanDirection.FORWARD);
      while (it.hasNext()) {
        bh.consume(it.next());
      }
    }
  }

  static List<byte[]> encodeAll(List<LogCorpus.Stream> streams, ChunkCodec codec) {
    List<byte[]> out = new ArrayList<>(streams.size());
    for (LogCorpus.Stream s : streams) {
      out.add(ChunkEncoder.encode("fake", s.labels(), s.entries(), codec, BLOCK_SIZE));
    }
    return out;
  }
}
