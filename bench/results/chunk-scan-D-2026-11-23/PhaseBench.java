package io.fjord.schemas.chunk;

import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.util.*;

public class PhaseBench {
  static long cpu() { return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }
  public static void main(String[] a) throws Exception {
    List<byte[]> chunks = new ArrayList<>();
    try (var s = Files.list(Paths.get(a[0]))) { for (Path p : s.sorted().toList()) chunks.add(Files.readAllBytes(p)); }
    long raw = 0;
    for (byte[] c : chunks) for (BlockMeta m : ChunkReader.of("x", c).blocks()) raw += m.rawLength();
    LineFilter none = (b, o, l) -> l > 0 && b[o] == 0;
    LineFilter search = LineFilter.containingAny(List.of("no such needle".getBytes()));
    byte[] dst = new byte[64 << 20];
    long[] best = new long[4]; Arrays.fill(best, Long.MAX_VALUE);
    if (a.length > 2) {
      for (int round = 0; round < Integer.parseInt(a[1]); round++) {
        if (a[2].equals("decode")) {
          for (byte[] c : chunks) {
            Iterator<?> it = ChunkReader.of("x", c).entries(ScanDirection.FORWARD);
            while (it.hasNext()) it.next();
          }
          continue;
        }
        for (byte[] c : chunks) {
          ChunkReader r = ChunkReader.of("x", c);
          Iterator<?> it = r.entries(ScanDirection.FORWARD, Long.MIN_VALUE, Long.MAX_VALUE, a[2].equals("scan") ? none : search, null);
          while (it.hasNext()) it.next();
        }
      }
      return;
    }
    for (int round = 0; round < Integer.parseInt(a[1]); round++) {
      long t0 = cpu();
      long x = 0;
      for (byte[] c : chunks) {
        ChunkReader r = ChunkReader.of("x", c);
        for (BlockMeta m : r.blocks()) {
          Compression.decompress(ChunkCodec.ZSTD, c, (int) m.offset() + ChunkFormat.BLOCK_HEADER_SIZE, m.length() - ChunkFormat.BLOCK_OVERHEAD, dst, m.rawLength());
          x += dst[0];
        }
      }
      long t1 = cpu();
      for (byte[] c : chunks) {
        ChunkReader r = ChunkReader.of("x", c);
        Iterator<?> it = r.entries(ScanDirection.FORWARD, Long.MIN_VALUE, Long.MAX_VALUE, none, null);
        while (it.hasNext()) it.next();
      }
      long t2 = cpu();
      for (byte[] c : chunks) {
        ChunkReader r = ChunkReader.of("x", c);
        Iterator<?> it = r.entries(ScanDirection.FORWARD, Long.MIN_VALUE, Long.MAX_VALUE, search, null);
        while (it.hasNext()) it.next();
      }
      long t3 = cpu();
      for (byte[] c : chunks) {
        Iterator<?> it = ChunkReader.of("x", c).entries(ScanDirection.FORWARD);
        while (it.hasNext()) x += it.next().hashCode() & 1;
      }
      long t4 = cpu();
      best[0] = Math.min(best[0], t1 - t0); best[1] = Math.min(best[1], t2 - t1); best[2] = Math.min(best[2], t3 - t2); best[3] = Math.min(best[3], t4 - t3);
    }
    System.out.printf("%s: %d chunks, %.1f MB raw bodies | zstd alone %.0f | scan %.0f | block search %.0f | decode %.0f MB/s of raw body%n", a[0], chunks.size(), raw / 1e6,
        raw * 1e3 / best[0], raw * 1e3 / best[1], raw * 1e3 / best[2], raw * 1e3 / best[3]);
  }
}
