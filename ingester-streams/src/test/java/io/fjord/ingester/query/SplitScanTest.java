package io.fjord.ingester.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.config.LimitsConfig;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.ingester.IngesterProtocol.Direction;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log query cut into shares of equal work (one stream split in time across shares, others whole)
 * answers exactly what one sequential merge would: the first entries in the direction, each once,
 * with every entry in range counted as scanned. One partition, fed through the ingest topology with
 * 1 KB blocks: stream {@code big} holds 900 entries (many blocks and a head), {@code small} 99.
 */
class SplitScanTest {
  @TempDir
  Path stateDir;
  @TempDir
  Path storeDir;
  io.fjord.ingester.flush.FlushFixture flush;
  private final PartitionRegistry registry = new PartitionRegistry();
  private TopologyTestDriver driver;
  /** Every entry pushed, as "app ts line", for the expected answers. */
  private final List<String[]> pushed = new ArrayList<>();

  @BeforeEach
  void start() {
    flush = new io.fjord.ingester.flush.FlushFixture(storeDir, java.time.Clock.systemUTC());
    driver = QueryTopologyDriver.start("split-scan-test", 1024, stateDir, registry, flush);
    TestInputTopic<byte[], byte[]> logs =
        driver.createInputTopic("logs", new ByteArraySerializer(), new ByteArraySerializer());
    // big: one entry at each ts 1000..1899; small: ts 1000, 1009, ..., sharing timestamps with big
    for (int batch = 0; batch < 9; batch++) {
      List<LogEntry> big = new ArrayList<>();
      for (int i = batch * 100; i < batch * 100 + 100; i++) {
        String line = "big " + i + (i % 37 == 0 ? " needle" : "") + " padding to make the block fill up";
        big.add(new LogEntry(1000 + i, line));
        pushed.add(new String[] {"big", Long.toString(1000 + i), line});
      }
      push(logs, "big", big);
      List<LogEntry> small = new ArrayList<>();
      for (int i = batch * 11; i < batch * 11 + 11; i++) {
        String line = "small " + i + (i % 5 == 0 ? " needle" : "");
        small.add(new LogEntry(1000 + 9L * i, line));
        pushed.add(new String[] {"small", Long.toString(1000 + 9L * i), line});
      }
      push(logs, "small", small);
    }
  }

  private static void push(TestInputTopic<byte[], byte[]> logs, String app, List<LogEntry> entries) {
    StreamBatch batch = new StreamBatch("t", Labels.of("app", app), entries);
    logs.pipeInput(LogRecordCodec.encodeKey("t", batch.fingerprint()), LogRecordCodec.encodeValue(batch));
  }

  @AfterEach
  void stop() {
    driver.close();
    flush.close();
  }

  /** The expected answer: entries holding {@code must} in [start, end), first {@code limit} in the direction. */
  private List<String> expected(String must, long start, long end, int limit, boolean forward) {
    List<String[]> in = new ArrayList<>();
    for (String[] e : pushed) {
      long ts = Long.parseLong(e[1]);
      if (ts >= start && ts < end && e[2].contains(must)) {
        in.add(e);
      }
    }
    // by timestamp in the direction; at equal timestamps by labels ({app="big"} before {app="small"})
    in.sort((a, b) -> {
      int byTs = Long.compare(Long.parseLong(a[1]), Long.parseLong(b[1]));
      return byTs != 0 ? (forward ? byTs : -byTs) : a[0].compareTo(b[0]);
    });
    List<String> out = new ArrayList<>();
    for (String[] e : in.subList(0, Math.min(limit, in.size()))) {
      out.add(e[0] + " " + e[1] + " " + e[2]);
    }
    out.sort(null);
    return out;
  }

  private static List<String> flat(IngesterProtocol.QueryResponse r) {
    List<String> out = new ArrayList<>();
    for (IngesterProtocol.StreamResult s : r.streams()) {
      for (IngesterProtocol.Entry e : s.entries()) {
        out.add(s.labels().get("app") + " " + e.ts() + " " + e.line());
      }
    }
    out.sort(null);
    return out;
  }

  private IngesterProtocol.QueryResponse query(int shares, String logql, long start, long end, int limit,
      Direction direction) {
    IngesterQueries queries = new IngesterQueries(registry, LimitsConfig.defaults(), s -> true, shares);
    return queries.query(new IngesterProtocol.QueryRequest(1, List.of("t"), logql, start, end, limit, direction));
  }

  @Test
  void everyShareCountAnswersExactlyTheSequentialAnswer() {
    for (int shares : new int[] {1, 2, 3, 5}) {
      for (Direction direction : Direction.values()) {
        boolean forward = direction == Direction.FORWARD;
        for (int limit : new int[] {1, 7, 40, 5000}) {
          IngesterProtocol.QueryResponse all =
              query(shares, "{app=~\"big|small\"} |= \"needle\"", 0, 5000, limit, direction);
          assertThat(flat(all)).as("shares %d, %s, limit %d", shares, direction, limit)
              .containsExactlyElementsOf(expected("needle", 0, 5000, limit, forward));
          IngesterProtocol.QueryResponse ranged = query(shares, "{app=~\"big|small\"}", 1250, 1700, limit, direction);
          assertThat(flat(ranged)).as("shares %d, %s, limit %d, ranged", shares, direction, limit)
              .containsExactlyElementsOf(expected("", 1250, 1700, limit, forward));
        }
      }
    }
  }

  @Test
  void everyEntryInRangeIsScannedOnceWhateverTheCut() {
    for (int shares : new int[] {1, 2, 3, 5}) {
      IngesterProtocol.QueryResponse r = query(shares, "{app=~\"big|small\"} |= \"needle\"", 0, 5000, 5000,
          Direction.BACKWARD);
      assertThat(r.entriesScanned()).as("shares %d", shares).isEqualTo(999);
      long bytes = 0;
      for (String[] e : pushed) {
        bytes += e[2].length();
      }
      assertThat(r.bytesScanned()).isEqualTo(bytes);
      assertThat(r.partitions()).containsExactly(0);
    }
  }

  @Test
  void eachStreamComesBackAsOneStreamInTimeOrder() {
    IngesterProtocol.QueryResponse r = query(3, "{app=~\"big|small\"} |= \"needle\"", 0, 5000, 5000,
        Direction.BACKWARD);
    assertThat(r.streams()).extracting(s -> s.labels().get("app")).containsExactly("big", "small");
    for (IngesterProtocol.StreamResult s : r.streams()) {
      List<Long> ts = s.entries().stream().map(IngesterProtocol.Entry::ts).toList();
      assertThat(ts).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }
  }
}
