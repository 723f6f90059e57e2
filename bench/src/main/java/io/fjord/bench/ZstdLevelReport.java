package io.fjord.bench;

import com.github.luben.zstd.Zstd;
import io.fjord.schemas.chunk.BlockMeta;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkFormat;
import io.fjord.schemas.chunk.ChunkReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What other zstd levels would give on the same block bodies as the chunk encoder (blocks of
 * 256 KiB): the stored size against the raw line bytes, and the compression speed (best of 5
 * passes, one thread). Not JMH: zstd is native code, and this only informs the choice of the level
 * the chunk encoder uses (decompression speed barely depends on it).
 */
public final class ZstdLevelReport {
  private ZstdLevelReport() {}

  public static void main(String[] args) {
    for (String ds : List.of("generated", "conformance")) {
      List<LogCorpus.Stream> streams = Datasets.load(ds);
      long lineBytes = 0;
      List<byte[]> bodies = new ArrayList<>();
      for (LogCorpus.Stream s : streams) {
        lineBytes += s.lineBytes();
        byte[] chunk = ChunkEncoder.encode("fake", s.labels(), s.entries(), ChunkCodec.NONE,
            ChunkCodecBenchmark.BLOCK_SIZE);
        for (BlockMeta b : ChunkReader.of(ds, chunk).blocks()) {
          int from = (int) b.offset() + ChunkFormat.BLOCK_HEADER_SIZE;
          bodies.add(Arrays.copyOfRange(chunk, from, from + b.rawLength()));
        }
      }
      System.out.printf(Locale.ROOT, "%n%s (%.1f MB of lines)%n%n| zstd level | raw / stored | compress MB/s |%n"
          + "|---:|---:|---:|%n", ds, lineBytes / 1e6);
      for (int level : new int[] {1, 3, 6, 9, 12, 19}) {
        long stored = 0;
        long best = Long.MAX_VALUE;
        for (int pass = 0; pass < 5; pass++) {
          long t0 = System.nanoTime();
          long n = 0;
          for (byte[] body : bodies) {
            n += Zstd.compress(body, level).length + ChunkFormat.BLOCK_OVERHEAD;
          }
          best = Math.min(best, System.nanoTime() - t0);
          stored = n;
        }
        System.out.printf(Locale.ROOT, "| %d | %.2f× | %.0f |%n", level, (double) lineBytes / stored,
            lineBytes / 1e6 / (best / 1e9));
      }
    }
  }
}
