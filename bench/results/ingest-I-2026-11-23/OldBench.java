// Brief I, 2026-11-23 (bench/RESULTS.md "Ingest work per line (brief I)"): not part of the build.
// javac -cp fjord-before.jar OldBench.java && java -Xmx2g -cp fjord-before.jar:. OldBench   (the same harness, old API only, against the launcher jar of 49f8186)
import io.fjord.ingester.chunk.*;
import io.fjord.schemas.chunk.*;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.*;
import io.fjord.logql.exec.EntryIterator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.*;

/** CPU time per line of the ingester's record -> memory path and the flush's chunk encoding, old vs new way. */
public class OldBench {
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  static final ChunkSettings SETTINGS = new ChunkSettings(256 * 1024, 1536 * 1024, Duration.ofMinutes(30), Duration.ofHours(2));
  static long sink;

  public static void main(String[] a) {
    int records = 400; // 250 lines each = 100k lines
    Random r = new Random(1);
    byte[][] values = new byte[records][];
    long ts = 1_700_000_000_000_000_000L;
    String[] words = {"GET", "POST", "/api/v1/push", "/loki/api/v1/query_range", "status=200", "status=500", "duration=12ms",
        "level=info", "level=error", "user=alice", "trace_id=4bf92f3577b34da6", "upstream", "timeout", "bytes=1234"};
    for (int i = 0; i < records; i++) {
      List<LogEntry> es = new ArrayList<>();
      for (int j = 0; j < 250; j++) {
        StringBuilder sb = new StringBuilder("ts=2026-11-23T18:00:00Z ");
        while (sb.length() < 125) sb.append(words[r.nextInt(words.length)]).append(' ');
        es.add(new LogEntry(ts++, sb.toString()));
      }
      values[i] = LogRecordCodec.encodeValue(new StreamBatch("fake", Labels.of("app", "bench", "stream", "0"), es));
    }
    String[] modes = {"oldAppend", "oldFlush"};
    for (int round = 0; round < 12; round++) {
      StringBuilder line = new StringBuilder("round " + round + ":");
      for (int m = 0; m < modes.length; m++) {
        String mode = modes[(m + round) % modes.length];
        long t0 = MX.getCurrentThreadCpuTime();
        long lines = run(mode, values);
        double us = (MX.getCurrentThreadCpuTime() - t0) / 1e3 / lines;
        line.append(String.format(" %s %.3f", mode, us));
      }
      System.out.println(line);
    }
  }

  static long run(String mode, byte[][] values) {
    long lines = 0;
    StreamMemory s = new StreamMemory(StreamKey.of("fake", Labels.of("app", "bench", "stream", "0")), SETTINGS);
    List<SealedChunk> sealed = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (mode.equals("oldAppend")) {
        StreamBatch b = LogRecordCodec.decodeValue(values[i]);
        s.append(b.entries(), i, 0);
      } else {
        StreamBatch b = LogRecordCodec.decodeValue(values[i]);
        s.append(b.entries(), i, 0);
      }
      lines += 250;
      sealed.addAll(s.takeSealed());
    }
    if (mode.endsWith("Append")) {
      return lines;
    }
    // flush modes: time only the encoding of the sealed chunks (append is the same for both)
    long t0 = MX.getCurrentThreadCpuTime();
    long flushed = 0;
    for (SealedChunk c : sealed) {
      ChunkEncoder enc = new ChunkEncoder("fake", c.key().labels(), ChunkCodec.ZSTD, 1 << 20, 3);
      if (mode.equals("oldFlush")) {
        EntryIterator it = c.entries();
        while (it.next()) enc.append(it.ts(), it.line(), it.metadata());
      }
      sink += enc.finish().length;
      flushed += c.entryCount();
    }
    // report flush time per flushed line by subtracting: caller measures total; keep it simple: return scaled
    long flushCpu = MX.getCurrentThreadCpuTime() - t0;
    System.out.printf("  [%s flush only: %.3f us/line over %d lines]%n", mode, flushCpu / 1e3 / Math.max(1, flushed), flushed);
    return lines;
  }
}
