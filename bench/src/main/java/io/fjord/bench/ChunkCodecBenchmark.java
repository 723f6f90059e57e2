package io.fjord.bench;

import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.LineFilter;
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
 * {@code chunk_block_size}) in chunk format {@code format} (2, what stores get, or 1, the legacy
 * one) with zstd at {@code level}; decodes all of them entry by entry as a query scan does (CRC
 * check, decompression, parsing into {@link LogEntry}); or scans them with a line filter that
 * refuses every line (decompression and parsing, lines seen only as slices: what a filtered query
 * pays for the lines it passes over). One thread: the time per operation gives MB/s per core of raw
 * lines; {@link CodecReport} turns it into the table of bench/RESULTS.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class ChunkCodecBenchmark {
  static final int BLOCK_SIZE = 256 * 1024;

  @Param({"generated", "conformance", "e2e"})
  public String dataset;

  @Param({"none", "gzip", "snappy", "lz4", "zstd"})
  public String codec;

  @Param({"2", "1"})
  public int format;

  @Param({"3"})
  public int level;

  private List<LogCorpus.Stream> streams;
  private List<byte[]> chunks;
  private ChunkCodec chunkCodec;

  @Setup
  public void setUp() {
    chunkCodec = ChunkCodec.parse(codec);
    streams = Datasets.load(dataset);
    chunks = encodeAll(streams, chunkCodec, format, level);
  }

  @Benchmark
  public long encode() {
    long bytes = 0;
    for (LogCorpus.Stream s : streams) {
      bytes += encode(s, chunkCodec, format, level).length;
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

  @Benchmark
  public void scan(Blackhole bh) {
    LineFilter none = (buf, off, len) -> len > 0 && buf[off] == 0; // no log line starts with NUL
    for (int i = 0; i < chunks.size(); i++) {
      LineFilter.Skipped skipped = new LineFilter.Skipped();
      Iterator<LogEntry> it = ChunkReader.of("bench-" + i, chunks.get(i))
          .entries(ScanDirection.FORWARD, Long.MIN_VALUE, Long.MAX_VALUE, none, skipped);
      while (it.hasNext()) {
        bh.consume(it.next());
      }
      bh.consume(skipped.bytes());
    }
  }

  static List<byte[]> encodeAll(List<LogCorpus.Stream> streams, ChunkCodec codec, int format, int level) {
    List<byte[]> out = new ArrayList<>(streams.size());
    for (LogCorpus.Stream s : streams) {
      out.add(encode(s, codec, format, level));
    }
    return out;
  }

  static byte[] encode(LogCorpus.Stream s, ChunkCodec codec, int format, int level) {
    ChunkEncoder enc = new ChunkEncoder("fake", s.labels(), codec, BLOCK_SIZE, level, format);
    for (LogEntry e : s.entries()) {
      enc.append(e);
    }
    return enc.finish();
  }
}
