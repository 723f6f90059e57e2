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
 * The samples of metric queries, from records fed through the ingest topology (TopologyTestDriver)
 * to the answer of {@link IngesterQueries#samples}. Expected samples follow from the pushed lines
 * by the rules of FORMATS.md ("Samples").
 */
class SamplesQueryTest {
  private static final Labels PROD = Labels.of("app", "api", "env", "prod");
  private static final Labels DEV = Labels.of("app", "api", "env", "dev");

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
    driver = QueryTopologyDriver.start("samples-test", 256 * 1024, stateDir, registry, flush);
    logs = driver.createInputTopic("logs", new ByteArraySerializer(), new ByteArraySerializer());

    push("t", PROD, new LogEntry(30, "level=info latency=oops"), new LogEntry(10, "level=info latency=1.5"),
        new LogEntry(20, "level=error latency=2"));
    push("t", DEV, new LogEntry(15, "level=info latency=4"));
    push("t", Labels.of("app", "web"), new LogEntry(12, "GET /"));
    push("other", PROD, new LogEntry(10, "level=info latency=100"));
  }

  @AfterEach
  void stop() {
    driver.close();
    flush.close();
  }

  private void push(String tenant, Labels labels, LogEntry... entries) {
    StreamBatch batch = new StreamBatch(tenant, labels, List.of(entries));
    logs.pipeInput(LogRecordCodec.encodeKey(tenant, batch.fingerprint()), LogRecordCodec.encodeValue(batch));
  }

  private SamplesResponse samples(List<String> tenants, String query, SampleGrouping grouping, long start, long end,
      long bucketWidth, long bucketAlign) {
    return queries.samples(new SamplesRequest(IngesterProtocol.VERSION, tenants, query, grouping, start, end,
        bucketWidth, bucketAlign));
  }

  /** Series as "tenant labels: [ts=value, ...]" lines, for readable comparisons. */
  private static List<String> render(SamplesResponse r) {
    return r.series().stream().map(s -> s.tenant() + " " + Labels.of(s.labels()) + ": "
        + s.samples().stream().map(x -> x.ts() + "=" + x.value()).collect(Collectors.joining(", ", "[", "]")))
        .toList();
  }

  @Test
  void countsEveryEntryOfTheAskedTenantsInTheRangeOnce() {
    SamplesResponse r = samples(List.of("t"), "count_over_time({app=\"api\"}[1m])", null, 0, 100, 0, 0);

    assertThat(render(r)).containsExactly(
        "t {app=\"api\", env=\"dev\"}: [15=1.0]",
        "t {app=\"api\", env=\"prod\"}: [10=1.0, 20=1.0, 30=1.0]");
    assertThat(r.partitions()).isNotEmpty();
    assertThat(r.series()).extracting(SampleSeries::partition).allMatch(r.partitions()::contains);
    // the four entries of tenant t's api streams: 23 + 22 + 21 + 20 bytes
    assertThat(r.entriesScanned()).isEqualTo(4);
    assertThat(r.bytesScanned()).isEqualTo(86);
    assertThat(render(samples(List.of("t"), "count_over_time({app=\"api\"}[1m])", null, 15, 30, 0, 0)))
        .containsExactly("t {app=\"api\", env=\"dev\"}: [15=1.0]", "t {app=\"api\", env=\"prod\"}: [20=1.0]");
    assertThat(render(samples(List.of("t", "other"), "count_over_time({app=\"api\", env=\"prod\"}[1m])", null, 0, 100,
        0, 0))).containsExactly("other {app=\"api\", env=\"prod\"}: [10=1.0]",
        "t {app=\"api\", env=\"prod\"}: [10=1.0, 20=1.0, 30=1.0]");
  }

  @Test
  void unwrapsThroughThePipelineAndMarksValuesThatAreNotNumbers() {
    SamplesResponse r = samples(List.of("t"), "sum_over_time({app=\"api\"} | logfmt | unwrap latency [1m])", null, 0,
        100, 0, 0);

    assertThat(render(r)).containsExactly(
        "t {__error__=\"SampleExtractionErr\", __error_details__=\"strconv.ParseFloat: parsing \\\"oops\\\": invalid syntax\", "
            + "app=\"api\", env=\"prod\", latency=\"oops\", level=\"info\"}: [30=0.0]",
        "t {app=\"api\", env=\"dev\", level=\"info\"}: [15=4.0]",
        "t {app=\"api\", env=\"prod\", level=\"error\"}: [20=2.0]",
        "t {app=\"api\", env=\"prod\", level=\"info\"}: [10=1.5]");
  }

  @Test
  void aPushedDownGroupingMergesStreamsIntoOneSeriesInTimeOrder() {
    SamplesResponse r = samples(List.of("t"), "sum_over_time({app=\"api\"} | logfmt | unwrap latency | __error__=\"\" [1m])",
        new SampleGrouping(false, List.of("level")), 0, 100, 0, 0);

    assertThat(render(r)).containsExactly("t {level=\"error\"}: [20=2.0]", "t {level=\"info\"}: [10=1.5, 15=4.0]");
  }

  @Test
  void theAggregationsOwnGroupingAppliesWhenNoneIsPushed() {
    SamplesResponse r = samples(List.of("t"), "max_over_time({app=\"api\"} | logfmt | unwrap latency | __error__=\"\" [1m]) "
        + "without (app, level)", null, 0, 100, 0, 0);

    assertThat(render(r)).containsExactly("t {env=\"dev\"}: [15=4.0]", "t {env=\"prod\"}: [10=1.5, 20=2.0]");
  }

  @Test
  void bucketsSumTheirSamplesAtTheirEnd() {
    // buckets (0, 10], (10, 20], (20, 30]: 10 -> 10; 15 and 20 -> 20; 30 -> 30
    SamplesResponse r = samples(List.of("t"), "count_over_time({app=\"api\"}[1m])", new SampleGrouping(false, List.of()),
        0, 100, 10, 0);

    assertThat(r.series()).singleElement().satisfies(s -> {
      assertThat(s.labels()).isEqualTo(Map.of());
      assertThat(s.samples()).containsExactly(new Sample(10, 1), new Sample(20, 2), new Sample(30, 1));
    });
  }

  @Test
  void refusesWhatIsNotOneValidRangeAggregation() {
    assertThatThrownBy(() -> samples(List.of("t"), "{app=\"api\"}", null, 0, 100, 0, 0))
        .isInstanceOf(ApiException.class).hasMessageContaining("one range aggregation");
    assertThatThrownBy(() -> samples(List.of("t"), "sum(count_over_time({app=\"api\"}[1m]))", null, 0, 100, 0, 0))
        .isInstanceOf(ApiException.class).hasMessageContaining("one range aggregation");
    assertThatThrownBy(() -> samples(List.of("t"), "count_over_time({app=\"api\"}", null, 0, 100, 0, 0))
        .isInstanceOf(ApiException.class).hasMessageContaining("parse error");
    assertThatThrownBy(() -> samples(List.of(), "count_over_time({app=\"api\"}[1m])", null, 0, 100, 0, 0))
        .isInstanceOf(ApiException.class).hasMessageContaining("tenants is required");
  }
}
