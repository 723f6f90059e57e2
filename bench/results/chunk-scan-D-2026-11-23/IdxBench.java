package io.fjord.schemas.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

public class IdxBench {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  static int indexOf16(byte[] buf, int from, int to, byte[] pattern) {
    int m = pattern.length;
    if (m > to - from) return -1;
    long first = (pattern[0] & 0xffL) * ONES;
    long last = (pattern[m - 1] & 0xffL) * ONES;
    int i = from;
    for (; i + m - 1 + 16 <= to; i += 16) {
      long a = (long) LONGS.get(buf, i) ^ first;
      long b = (long) LONGS.get(buf, i + m - 1) ^ last;
      long c = (long) LONGS.get(buf, i + 8) ^ first;
      long d = (long) LONGS.get(buf, i + 7 + m) ^ last;
      long h1 = (a - ONES) & ~a & (b - ONES) & ~b;
      long h2 = (c - ONES) & ~c & (d - ONES) & ~d;
      if (((h1 | h2) & HIGHS) == 0) continue;
      for (long hits = h1 & HIGHS; hits != 0; hits &= hits - 1) {
        int at = i + (Long.numberOfTrailingZeros(hits) >>> 3);
        if (matches(buf, at, pattern)) return at;
      }
      for (long hits = h2 & HIGHS; hits != 0; hits &= hits - 1) {
        int at = i + 8 + (Long.numberOfTrailingZeros(hits) >>> 3);
        if (matches(buf, at, pattern)) return at;
      }
    }
    int r = ByteSearch.indexOf(buf, i, to, pattern);
    return r;
  }
  private static boolean matches(byte[] buf, int at, byte[] pattern) {
    for (int j = 0; j < pattern.length; j++) if (buf[at + j] != pattern[j]) return false;
    return true;
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
    byte[] pat = args[1].getBytes();
    long total = 0; for (byte[] b : bodies) total += b.length;
    var T = java.lang.management.ManagementFactory.getThreadMXBean();
    long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
    long sum = 0;
    for (int round = 0; round < 40; round++) {
      for (int v = 0; v < 2; v++) {
        long t0 = T.getCurrentThreadCpuTime();
        for (int rep = 0; rep < 5; rep++) for (byte[] b : bodies) {
          sum += v == 0 ? ByteSearch.indexOf(b, 0, b.length, pat) : indexOf16(b, 0, b.length, pat);
        }
        best[v] = Math.min(best[v], T.getCurrentThreadCpuTime() - t0);
      }
    }
    System.out.printf("%s: cur %.2f  16 %.2f GB/s (%d)%n", args[0], 5.0 * total / best[0], 5.0 * total / best[1], sum);
  }
}
