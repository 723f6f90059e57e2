package io.fjord.bench;

import com.github.luben.zstd.ZstdDecompressCtx;
import io.fjord.schemas.chunk.BlockMeta;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkFormat;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.LineFilter;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.record.LogEntry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Chunk format version 1 against version 2 at each zstd level, on the benchmark data sets (one chunk
 * per stream, blocks of 256 KiB, as {@link ChunkCodecBenchmark}): the stored size against the raw
 * line bytes, and on one thread the MB/s of raw lines of the whole encoder (what a flush costs), of
 * a full decode into {@link LogEntry} objects (what a query scan without a line filter costs) and of
 * a scan whose line filter refuses every line (decompression, checks and column parsing, the lines
 * seen as slices of the body: what a filtered query pays for the lines it passes over), and of a
 * {@code |= "no such needle"} scan that refuses every line for real, once line by line (the filter
 * names no literal) and once with the literal named, so a v2 reader searches whole blocks, and of
 * zstd alone decompressing every block (the ceiling of any scan; the ratio of the scan to it moves
 * much less with the machine's load than either figure). Times are
 * the measuring thread's CPU time (so MB/s per core, and robust to other load on a shared machine),
 * best of several passes; not JMH, since most of the time is native zstd and the point is to choose
 * the encoder's level and format, not to resolve a few percent. Every chunk is checked to read back.
 *
 * <p>Arguments: {@code --datasets generated,conformance,e2e} (default all three), {@code --levels
 * 1,3,5,...} (default below), {@code --passes N} (timed decode and scan passes, best taken; default
 * 5: more on a loaded machine), {@code --scan-only} (after the checks, only the v2 scan is run, for
 * a profiler; no table).
 */
public final class ZstdLevelReport {
  private static final int[] DEFAULT_LEVELS = {1, 2, 3, 4, 5, 6, 7, 9, 12, 15, 19};
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static int passes = 5;
  private static boolean scanOnly;

  private ZstdLevelReport() {}

  /** What one (data set, format, level) measured. */
  record Row(int format, int level, long stored, double encodeMbps, double decodeMbps, double scanMbps,
      double literalLineMbps, double literalBlockMbps, double zstdMbps) {}

  /**
   * The literal of the {@code |=} scans: in no line of the data sets, with a first and last byte
   * common in log lines (the search has to check many candidate positions).
   */
  static final byte[] ABSENT_LITERAL = "no such needle".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** A {@code |= "no such needle"} filter that names its literal: v2 blocks are searched whole. */
  static final LineFilter BLOCK_SEARCH = LineFilter.containingAny(List.of(ABSENT_LITERAL));

  /** The same filter without naming its literal: every line is found and searched on its own. */
  static final LineFilter LINE_BY_LINE = BLOCK_SEARCH::mayKeep;

  public static void main(String[] args) {
    List<String> datasets = Datasets.ALL;
    int[] levels = DEFAULT_LEVELS;
    for (String a : args) {
      if (a.equals("--scan-only")) {
        scanOnly = true;
      }
    }
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--passes")) {
        passes = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--datasets")) {
        datasets = List.of(args[i + 1].split(","));
      } else if (args[i].equals("--levels")) {
        levels = java.util.Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
      }
    }
    for (String ds : datasets) {
      List<LogCorpus.Stream> streams = Datasets.load(ds);
      long lineBytes = 0;
      long entries = 0;
      for (LogCorpus.Stream s : streams) {
        lineBytes += s.lineBytes();
        entries += s.entries().size();
      }
      if (scanOnly) {
        for (int level : levels) {
          List<byte[]> chunks = encodeAll(streams, ChunkFormat.VERSION, level);
          verify(streams, chunks);
          for (int pass = 0; pass < 50 * passes; pass++) {
            scanAll(chunks);
          }
        }
        continue;
      }
      warmUp(streams);
      List<Row> rows = new ArrayList<>();
      for (int level : levels) {
        for (int format : new int[] {ChunkFormat.VERSION_1, ChunkFormat.VERSION}) {
          rows.add(measure(streams, lineBytes, format, level));
        }
      }
      System.out.printf(Locale.ROOT, "%n### %s: %d streams, %,d entries, %.1f MB of lines%n%n", ds, streams.size(),
          entries, lineBytes / 1e6);
      System.out.println("| zstd level | v1 raw / stored | v2 raw / stored | v1 encode MB/s | v2 encode MB/s "
          + "| v1 decode MB/s | v2 decode MB/s | v1 scan MB/s | v2 scan MB/s |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (int i = 0; i < rows.size(); i += 2) {
        Row v1 = rows.get(i);
        Row v2 = rows.get(i + 1);
        System.out.printf(Locale.ROOT, "| %d | %.2f× | %.2f× | %.0f | %.0f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
            v1.level(), (double) lineBytes / v1.stored(), (double) lineBytes / v2.stored(), v1.encodeMbps(),
            v2.encodeMbps(), v1.decodeMbps(), v2.decodeMbps(), v1.scanMbps(), v2.scanMbps());
      }
      System.out.printf(Locale.ROOT, "%n|= \"no such needle\" scans, MB/s of lines per core; zstd alone: only the "
          + "decompression of every block (the ceiling of a scan):%n%n");
      System.out.println("| zstd level | v1 | v2 line by line | v2 block search | v2 zstd alone | v2 scan / zstd alone |");
      System.out.println("|---:|---:|---:|---:|---:|---:|");
      for (int i = 0; i < rows.size(); i += 2) {
        Row v1 = rows.get(i);
        Row v2 = rows.get(i + 1);
        System.out.printf(Locale.ROOT, "| %d | %,.0f | %,.0f | %,.0f | %,.0f | %.2f |%n", v1.level(), v1.literalLineMbps(),
            v2.literalLineMbps(), v2.literalBlockMbps(), v2.zstdMbps(), v2.scanMbps() / v2.zstdMbps());
      }
      System.out.flush();
    }
  }

  /** A few untimed passes so the JIT has compiled the encoder and decoder before anything is timed. */
  private static void warmUp(List<LogCorpus.Stream> streams) {
    for (int pass = 0; pass < 3; pass++) {
      for (int format : new int[] {ChunkFormat.VERSION_1, ChunkFormat.VERSION}) {
        List<byte[]> chunks = encodeAll(streams, format, 1);
        decodeAll(chunks);
        scanAll(chunks);
        scanAll(chunks, LINE_BY_LINE);
        scanAll(chunks, BLOCK_SEARCH);
      }
    }
  }

  static Row measure(List<LogCorpus.Stream> streams, long lineBytes, int format, int level) {
    int encodePasses = level >= 12 ? 1 : 3;
    long bestEncode = Long.MAX_VALUE;
    List<byte[]> chunks = null;
    for (int pass = 0; pass < encodePasses; pass++) {
      long t0 = cpuNanos();
      chunks = encodeAll(streams, format, level);
      bestEncode = Math.min(bestEncode, cpuNanos() - t0);
    }
    verify(streams, chunks);
    long bestDecode = Long.MAX_VALUE;
    long bestScan = Long.MAX_VALUE;
    long bestLine = Long.MAX_VALUE;
    long bestBlock = Long.MAX_VALUE;
    long bestZstd = Long.MAX_VALUE;
    for (int pass = 0; pass < passes; pass++) {
      long t0 = cpuNanos();
      decodeAll(chunks);
      long t1 = cpuNanos();
      scanAll(chunks);
      long t2 = cpuNanos();
      long passed = scanAll(chunks, LINE_BY_LINE);
      long t3 = cpuNanos();
      long passedToo = scanAll(chunks, BLOCK_SEARCH);
      long t4 = cpuNanos();
      unzstdAll(chunks);
      bestZstd = Math.min(bestZstd, cpuNanos() - t4);
      if (passed != lineBytes || passedToo != lineBytes) {
        throw new IllegalStateException("a |= scan passed over " + passed + " / " + passedToo + " of "
            + lineBytes + " line bytes");
      }
      bestDecode = Math.min(bestDecode, t1 - t0);
      bestScan = Math.min(bestScan, t2 - t1);
      bestLine = Math.min(bestLine, t3 - t2);
      bestBlock = Math.min(bestBlock, t4 - t3);
    }
    long stored = chunks.stream().mapToLong(c -> c.length).sum();
    return new Row(format, level, stored, mbps(lineBytes, bestEncode), mbps(lineBytes, bestDecode),
        mbps(lineBytes, bestScan), mbps(lineBytes, bestLine), mbps(lineBytes, bestBlock), mbps(lineBytes, bestZstd));
  }

  /** CPU time of the current thread (native zstd included: it runs on this thread). */
  private static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static double mbps(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  static List<byte[]> encodeAll(List<LogCorpus.Stream> streams, int format, int level) {
    List<byte[]> out = new ArrayList<>(streams.size());
    for (LogCorpus.Stream s : streams) {
      ChunkEncoder enc = new ChunkEncoder("fake", s.labels(), ChunkCodec.ZSTD, ChunkCodecBenchmark.BLOCK_SIZE, level,
          format);
      for (LogEntry e : s.entries()) {
        enc.append(e);
      }
      out.add(enc.finish());
    }
    return out;
  }

  /** Reads every entry as a query scan without a line filter does; returns a checksum so nothing is elided. */
  static long decodeAll(List<byte[]> chunks) {
    long sum = 0;
    for (int i = 0; i < chunks.size(); i++) {
      Iterator<LogEntry> it = ChunkReader.of("bench-" + i, chunks.get(i)).entries(ScanDirection.FORWARD);
      while (it.hasNext()) {
        LogEntry e = it.next();
        sum += e.line().length() + e.metadata().size();
      }
    }
    return sum;
  }

  /**
   * Scans every chunk with a line filter that looks at one byte of each line and refuses it: the
   * lines are seen only as slices of the decompressed body. Returns the bytes passed over.
   */
  static long scanAll(List<byte[]> chunks) {
    return scanAll(chunks, (buf, off, len) -> len > 0 && buf[off] == 0); // no log line starts with NUL
  }

  /** Scans every chunk with {@code none}, a filter that refuses every line. Returns the bytes passed over. */
  static long scanAll(List<byte[]> chunks, LineFilter none) {
    long sum = 0;
    for (int i = 0; i < chunks.size(); i++) {
      LineFilter.Skipped skipped = new LineFilter.Skipped();
      Iterator<LogEntry> it = ChunkReader.of("bench-" + i, chunks.get(i))
          .entries(ScanDirection.FORWARD, Long.MIN_VALUE, Long.MAX_VALUE, none, skipped);
      while (it.hasNext()) {
        sum += it.next().line().length();
      }
      sum += skipped.bytes();
    }
    return sum;
  }

  private static final byte[] UNZSTD_BUFFER = new byte[ChunkFormat.MAX_BLOCK_RAW_SIZE];

  /**
   * Only decompresses every block (zstd-jni, one reused context, into one reused buffer): what a
   * scan costs at the least. Returns a checksum so nothing is elided.
   */
  static long unzstdAll(List<byte[]> chunks) {
    long sum = 0;
    try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
      for (byte[] c : chunks) {
        for (BlockMeta b : ChunkReader.of("zstd", c).blocks()) {
          sum += ctx.decompressByteArray(UNZSTD_BUFFER, 0, b.rawLength(), c, (int) b.offset() + ChunkFormat.BLOCK_HEADER_SIZE,
              b.length() - ChunkFormat.BLOCK_OVERHEAD);
        }
      }
    }
    return sum;
  }

  /** Every chunk must read back exactly: a figure for a broken encoder would be worthless. */
  static void verify(List<LogCorpus.Stream> streams, List<byte[]> chunks) {
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
