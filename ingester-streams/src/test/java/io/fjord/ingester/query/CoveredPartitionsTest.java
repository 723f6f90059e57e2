package io.fjord.ingester.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.config.LimitsConfig;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.partition.PartitionState;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.ingester.IngesterProtocol.Direction;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer lists exactly the partitions it read, and reads only those the caught-up test lets
 * through: a partition still replaying (or not yet consumed to where it was when assigned) adds
 * neither data nor its number. Partition 0 is fed through the ingest topology (TopologyTestDriver,
 * replay done); a second registered state for partition 1 over the same memory and index stands
 * for a partition this instance also owns, so reading it would show every entry twice.
 */
class CoveredPartitionsTest {
  @TempDir
  Path stateDir;
  @TempDir
  Path storeDir;
  io.fjord.ingester.flush.FlushFixture flush;
  private final PartitionRegistry registry = new PartitionRegistry();
  /** The partitions the test counts as caught up. */
  private final Set<Integer> caughtUp = ConcurrentHashMap.newKeySet();
  private final IngesterQueries queries =
      new IngesterQueries(registry, LimitsConfig.defaults(), s -> caughtUp.contains(s.partition()));
  private TopologyTestDriver driver;
  private PartitionState second;

  @BeforeEach
  void start() {
    flush = new io.fjord.ingester.flush.FlushFixture(storeDir, java.time.Clock.systemUTC());
    driver = QueryTopologyDriver.start("covered-test", 256 * 1024, stateDir, registry, flush);
    TestInputTopic<byte[], byte[]> logs =
        driver.createInputTopic("logs", new ByteArraySerializer(), new ByteArraySerializer());
    StreamBatch batch = new StreamBatch("t", Labels.of("app", "api"),
        List.of(new LogEntry(10, "GET /a"), new LogEntry(20, "GET /b"), new LogEntry(30, "POST /c")));
    logs.pipeInput(LogRecordCodec.encodeKey("t", batch.fingerprint()), LogRecordCodec.encodeValue(batch));
    PartitionState first = registry.get(0);
    assertThat(first.replayed()).isTrue();
    second = new PartitionState(1, first.memory(), first.index());
    registry.register(second);
  }

  @AfterEach
  void stop() {
    driver.close();
    flush.close();
  }

  private IngesterProtocol.QueryResponse query() {
    return queries.query(new IngesterProtocol.QueryRequest(1, List.of("t"), "{app=\"api\"}", 0, 100, 100,
        Direction.FORWARD));
  }

  private IngesterProtocol.SamplesResponse samples() {
    return queries.samples(new IngesterProtocol.SamplesRequest(1, List.of("t"), "count_over_time({app=\"api\"}[1m])",
        null, 0, 100, 0L, 0L));
  }

  private IngesterProtocol.LabelsResponse labels() {
    return queries.labels(new IngesterProtocol.LabelsRequest(1, List.of("t"), 0, 100, null, null));
  }

  private IngesterProtocol.SeriesResponse series() {
    return queries.series(new IngesterProtocol.SeriesRequest(1, List.of("t"), 0, 100, List.of("{app=\"api\"}")));
  }

  @Test
  void aPartitionNotCaughtUpIsNeitherReadNorListed() {
    caughtUp.add(0);

    IngesterProtocol.QueryResponse q = query();
    assertThat(q.partitions()).containsExactly(0);
    assertThat(q.streams()).singleElement().satisfies(s -> assertThat(s.entries()).extracting(e -> e.line())
        .containsExactly("GET /a", "GET /b", "POST /c"));
    assertThat(q.entriesScanned()).isEqualTo(3);

    IngesterProtocol.SamplesResponse s = samples();
    assertThat(s.partitions()).containsExactly(0);
    assertThat(s.series()).singleElement().satisfies(x -> {
      assertThat(x.partition()).isZero();
      assertThat(x.samples()).hasSize(3);
    });

    assertThat(labels().partitions()).containsExactly(0);
    assertThat(labels().values()).containsExactly("app");
    assertThat(series().partitions()).containsExactly(0);
    assertThat(series().series()).hasSize(1);
  }

  @Test
  void onceCaughtUpThePartitionIsReadAndListed() {
    caughtUp.addAll(List.of(0, 1));

    IngesterProtocol.QueryResponse q = query();
    assertThat(q.partitions()).containsExactly(0, 1);
    // the same memory read through both partitions: each entry scanned twice
    assertThat(q.entriesScanned()).isEqualTo(6);
    IngesterProtocol.SamplesResponse s = samples();
    assertThat(s.partitions()).containsExactly(0, 1);
    assertThat(s.series()).extracting(IngesterProtocol.SampleSeries::partition).containsExactlyInAnyOrder(0, 1);
    assertThat(labels().partitions()).containsExactly(0, 1);
    assertThat(series().partitions()).containsExactly(0, 1);
  }

  @Test
  void withNothingCaughtUpEveryAnswerIsEmptyAndListsNoPartition() {
    IngesterProtocol.QueryResponse q = query();
    assertThat(q.partitions()).isEmpty();
    assertThat(q.streams()).isEmpty();
    assertThat(samples().partitions()).isEmpty();
    assertThat(samples().series()).isEmpty();
    assertThat(labels().partitions()).isEmpty();
    assertThat(labels().values()).isEmpty();
    assertThat(series().partitions()).isEmpty();
    assertThat(series().series()).isEmpty();
  }

  @Test
  void byDefaultAPartitionIsServedOnceItsReplayIsDoneAndAClosedOneIsNotListed() {
    IngesterQueries byReplay = new IngesterQueries(registry, LimitsConfig.defaults());
    IngesterProtocol.QueryRequest request = new IngesterProtocol.QueryRequest(1, List.of("t"), "{app=\"api\"}", 0, 100,
        100, Direction.FORWARD);
    assertThat(byReplay.query(request).partitions()).containsExactly(0);

    second.replayDone();
    assertThat(byReplay.query(request).partitions()).containsExactly(0, 1);

    second.close();
    assertThat(byReplay.query(request).partitions()).containsExactly(0);
    assertThat(byReplay.labels(new IngesterProtocol.LabelsRequest(1, List.of("t"), 0, 100, null, null)).partitions())
        .containsExactly(0);
  }
}
