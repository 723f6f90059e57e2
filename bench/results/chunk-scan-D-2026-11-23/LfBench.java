package io.fjord.schemas.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Random;

public class LfBench {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LF_REPEATED = 0x0A0A0A0A0A0A0A0AL;
  private static final long LOWS7 = 0x7F7F7F7F7F7F7F7FL;
  private static long lineFeeds(long word) {
    long x = word ^ LF_REPEATED;
    return ~(((x & LOWS7) + LOWS7) | x | LOWS7);
  }

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  static int branchless(byte[] buf, int from, int to, int[] out, int at, int count) {
    int k = 0;
    int i = from;
    for (; i + 32 <= to; i += 32) {
      long a = (long) LONGS.get(buf, i) ^ LF_REPEATED;
      long b = (long) LONGS.get(buf, i + 8) ^ LF_REPEATED;
      long c = (long) LONGS.get(buf, i + 16) ^ LF_REPEATED;
      long d = (long) LONGS.get(buf, i + 24) ^ LF_REPEATED;
      if (((((a - ONES) & ~a) | ((b - ONES) & ~b) | ((c - ONES) & ~c) | ((d - ONES) & ~d)) & HIGHS) == 0) {
        continue;
      }
      for (int w = 0; w < 32; w += 8) {
        for (long f = lineFeeds((long) LONGS.get(buf, i + w)); f != 0; f &= f - 1) {
          out[at + k] = i + w + 1 + (Long.numberOfTrailingZeros(f) >>> 3);
          if (++k == count) {
            return k;
          }
        }
      }
    }
    for (; i < to; i++) {
      if (buf[i] == '\n') { out[at + k] = i + 1; if (++k == count) return k; }
    }
    return k;
  }

  static int approx2(byte[] buf, int from, int to, int[] out, int at, int count) {
    int k = 0;
    int i = from;
    for (; i + 16 <= to; i += 16) {
      long a = (long) LONGS.get(buf, i) ^ LF_REPEATED;
      long b = (long) LONGS.get(buf, i + 8) ^ LF_REPEATED;
      if (((((a - ONES) & ~a) | ((b - ONES) & ~b)) & HIGHS) == 0) {
        continue;
      }
      for (long f = lineFeeds((long) LONGS.get(buf, i)); f != 0; f &= f - 1) {
        out[at + k] = i + 1 + (Long.numberOfTrailingZeros(f) >>> 3);
        if (++k == count) return k;
      }
      for (long f = lineFeeds((long) LONGS.get(buf, i + 8)); f != 0; f &= f - 1) {
        out[at + k] = i + 9 + (Long.numberOfTrailingZeros(f) >>> 3);
        if (++k == count) return k;
      }
    }
    for (; i < to; i++) {
      if (buf[i] == '\n') { out[at + k] = i + 1; if (++k == count) return k; }
    }
    return k;
  }

  static int perLine(byte[] buf, int from, int to, int[] out, int at, int count) {
    int p = from;
    int k = 0;
    while (k < count) {
      int lf = ByteSearch.indexOfLineFeed(buf, p, to);
      if (lf < 0) return k;
      out[at + k++] = lf + 1;
      p = lf + 1;
    }
    return k;
  }

  public static void main(String[] args) throws Exception {
    java.util.List<byte[]> bodies = new java.util.ArrayList<>();
    try (var s = java.nio.file.Files.list(java.nio.file.Paths.get(args[0]))) {
      for (var p : s.sorted().toList()) {
        byte[] c = java.nio.file.Files.readAllBytes(p);
        for (BlockMeta m : ChunkReader.of("x", c).blocks()) {
          byte[] d = new byte[m.rawLength()];
          Compression.decompress(ChunkCodec.ZSTD, c, (int) m.offset() + ChunkFormat.BLOCK_HEADER_SIZE, m.length() - ChunkFormat.BLOCK_OVERHEAD, d, m.rawLength());
          bodies.add(d);
        }
      }
    }
    long total = 0; for (byte[] b : bodies) total += b.length;
    int[] out = new int[1 << 20];
    var T = java.lang.management.ManagementFactory.getThreadMXBean();
    long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    long sum = 0;
    for (int round = 0; round < 40; round++) {
      for (int v = 0; v < 3; v++) {
        long t0 = T.getCurrentThreadCpuTime();
        for (int rep = 0; rep < 5; rep++) for (byte[] b : bodies) {
          sum += switch (v) { case 0 -> ByteSearch.lineFeedsAfter(b, 0, b.length, out, 0, 1 << 20);
            case 1 -> perLine(b, 0, b.length, out, 0, 1 << 20);
            default -> approx2(b, 0, b.length, out, 0, 1 << 20); };
        }
        best[v] = Math.min(best[v], T.getCurrentThreadCpuTime() - t0);
      }
    }
    System.out.printf("%s: cur %.2f  perLine %.2f  approx16 %.2f GB/s (%d)%n", args[0], 5.0 * total / best[0], 5.0 * total / best[1], 5.0 * total / best[2], sum);
  }
}
