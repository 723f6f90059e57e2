package io.fjord.ingester.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.ApiException;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.ingester.IngesterProtocol.Sample;
import io.fjord.schemas.ingester.IngesterProtocol.SampleGrouping;
import io.fjord.schemas.ingester.IngesterProtocol.SampleSeries;
import io.fjord.schemas.ingester.IngesterProtocol.SamplesRequest;
import io.fjord.schemas.ingester.IngesterProtocol.SamplesResponse;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A count without pipeline stages reads whole blocks off their metadata: its answers (series,
 * entries and bytes scanned) equal those of the same count behind {@code |= ""}, which walks every
 * entry, and the hand count of the pushed entries, for ranges and buckets that cut blocks.
 */
class BlockCountTest {
  private static final Labels PROD = Labels.of("app", "api", "env", "prod");

  @TempDir
  Path stateDir;
  @TempDir
  Path storeDir;
  io.fjord.ingester.flush.FlushFixture flush;
  private final PartitionRegistry registry = new PartitionRegistry();
  private final IngesterQueries queries = new IngesterQueries(registry, LimitsConfig.defaults());
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> logs;

  @BeforeEach
  void start() {
    flush = new io.fjord.ingester.flush.FlushFixture(storeDir, java.time.Clock.systemUTC());
    // 1 KiB blocks: about 35 entries each
    driver = QueryTopologyDriver.start("block-count-test", 1024, stateDir, registry, flush);
    logs = driver.createInputTopic("logs", new ByteArraySerializer(), new ByteArraySerializer());
    for (int from = 1; from <= 3000; from += 100) {
      List<LogEntry> batch = new java.util.ArrayList<>();
      for (int ts = from; ts < from + 100; ts++) {
        String line = "level=info n=" + ts + " é";
        batch.add(ts % 250 == 0 ? new LogEntry(ts, line, Labels.of("trace", "t")) : new LogEntry(ts, line));
      }
      StreamBatch b = new StreamBatch("t", PROD, batch);
      logs.pipeInput(LogRecordCodec.encodeKey("t", b.fingerprint()), LogRecordCodec.encodeValue(b));
    }
  }

  @AfterEach
  void stop() {
    driver.close();
    flush.close();
  }

  private SamplesResponse samples(String query, SampleGrouping grouping, long start, long end, long width, long align) {
    return queries.samples(new SamplesRequest(IngesterProtocol.VERSION, List.of("t"), query, grouping, start, end,
        width, align));
  }

  private static List<String> render(SamplesResponse r) {
    return r.series().stream().map(s -> s.tenant() + " " + Labels.of(s.labels()) + ": "
        + s.samples().stream().map(x -> x.ts() + "=" + x.value()).collect(Collectors.joining(", ", "[", "]")))
        .toList();
  }

  @Test
  void wholeBlocksCountLikeEveryEntryWalked() {
    long[][] cases = {{0, 3001, 100, 0}, {1234, 2345, 100, 34}, {0, 3001, 1000, 0}, {17, 2999, 7, 3}, {0, 3001, 5000, 0}};
    SampleGrouping[] groupings = {null, new SampleGrouping(false, List.of())};
    for (long[] c : cases) {
      for (SampleGrouping g : groupings) {
        SamplesResponse fast = samples("count_over_time({app=\"api\"}[1m])", g, c[0], c[1], c[2], c[3]);
        SamplesResponse walked = samples("count_over_time({app=\"api\"} |= \"\" [1m])", g, c[0], c[1], c[2], c[3]);
        assertThat(render(fast)).as("range %s", java.util.Arrays.toString(c)).isEqualTo(render(walked));
        assertThat(fast.entriesScanned()).isEqualTo(walked.entriesScanned()).isEqualTo(c[1] - Math.max(1, c[0]));
        assertThat(fast.bytesScanned()).isEqualTo(walked.bytesScanned());
      }
    }
  }

  @Test
  void bucketsOfAHundredHoldAHundredEntries() {
    SamplesResponse r = samples("count_over_time({app=\"api\"}[1m])", new SampleGrouping(false, List.of()), 0, 3001,
        100, 0);
    assertThat(r.series()).singleElement().satisfies(s -> {
      assertThat(s.samples()).hasSize(30);
      assertThat(s.samples()).allSatisfy(x -> assertThat(x.value()).isEqualTo(100));
      assertThat(s.samples().get(0)).isEqualTo(new Sample(100, 100));
    });
    // "level=info n=" (13 bytes) + digits + " é" (3 bytes): 9 + 90*2 + 900*3 + 2001*4 digits
    assertThat(r.bytesScanned()).isEqualTo(3000L * 16 + 9 + 180 + 2700 + 8004);
  }
}
