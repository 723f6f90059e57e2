package io.fjord.querier.source.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fjord.common.http.ApiException;
import io.fjord.querier.FakeIngester;
import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.logql.ast.Grouping;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.TenantSeries;
import io.fjord.querier.source.TenantStream;
import io.fjord.schemas.ingester.IngesterMember;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.labels.Labels;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngesterSourceTest {
  private static final Instant NOW = Instant.parse("2026-11-20T00:00:00Z");
  private static final SelectRequest SELECT =
      new SelectRequest(List.of("team-a"), "{app=\"api\"} |= \"GET\"", 100, 200, 50, Direction.FORWARD);

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<FakeIngester> fakes = new ArrayList<>();
  // the test thread changes it while a query reads it
  private final List<IngesterMember> live = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopFakes() {
    fakes.forEach(FakeIngester::close);
  }

  private FakeIngester fake(String instance) {
    FakeIngester f = new FakeIngester(instance);
    fakes.add(f);
    live.add(f.member(NOW, 0));
    return f;
  }

  private IngesterSource source(Duration timeout) {
    return new IngesterSource(() -> List.copyOf(live), http, timeout);
  }

  /** A source that knows the logs topic has {@code partitions} partitions. */
  private IngesterSource source(int partitions, Duration timeout, Duration partitionWait) {
    return new IngesterSource(() -> List.copyOf(live), () -> partitions, http, timeout, partitionWait);
  }

  private static IngesterProtocol.QueryResponse covering(List<Integer> partitions, IngesterProtocol.StreamResult... s) {
    return new IngesterProtocol.QueryResponse(1, List.of(s), 0L, 0L, partitions);
  }

  private static IngesterProtocol.StreamResult stream(String pod, long ts, String line) {
    return new IngesterProtocol.StreamResult("team-a", Map.of("app", "api", "pod", pod),
        List.of(new IngesterProtocol.Entry(ts, line)));
  }

  private static IngesterMember ghost(String instance) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    return new IngesterMember(1, instance, "http://127.0.0.1:" + closedPort, List.of(1), true, NOW.toEpochMilli());
  }

  @Test
  void failingIngestersAreIgnoredWhenTheOthersCoverEveryPartition() throws Exception {
    fake("ingester-a").answerQueries(covering(List.of(0, 1), stream("p1", 150, "GET /")))
        .answerLabels(new IngesterProtocol.LabelsResponse(1, List.of("app"), List.of(0, 1)));
    fake("ingester-b").failWith(500, "disk on fire");
    live.add(ghost("ingester-killed"));
    fake("ingester-slow").hold();
    IngesterSource source = source(2, Duration.ofSeconds(30), Duration.ofSeconds(20));

    SelectResult r = source.select(SELECT);
    List<String> labels = source.labels(new LabelsRequest(List.of("team-a"), 1, 2, null, null));

    assertThat(r.streams()).containsExactly(new TenantStream("team-a", Labels.of("app", "api", "pod", "p1"),
        List.of(new Entry(150, "GET /"))));
    assertThat(r.ingestersReached()).isEqualTo(1);
    assertThat(labels).containsExactly("app");
  }

  @Test
  void aPartitionNoAnswerCoversIsAskedForAgainUntilItsNewOwnerHasCaughtUp() {
    FakeIngester a = fake("ingester-a").answerQueries(covering(List.of(0), stream("p0", 150, "GET /a")));
    // ingester-b took partition 1 over from a dead ingester and still replays it: it lists nothing yet
    FakeIngester b = fake("ingester-b").answerQueries(covering(List.of()));
    IngesterSource source = source(2, Duration.ofSeconds(30), Duration.ofSeconds(20));

    CompletableFuture<SelectResult> query = CompletableFuture.supplyAsync(() -> source.select(SELECT));
    await().atMost(Duration.ofSeconds(10)).until(() -> b.queries.size() >= 2);
    assertThat(query).isNotDone();
    b.answerQueries(covering(List.of(1), stream("p1", 160, "GET /b")));
    SelectResult r = query.join();

    assertThat(r.streams()).extracting(TenantStream::entries).containsExactlyInAnyOrder(
        List.of(new Entry(150, "GET /a")), List.of(new Entry(160, "GET /b")));
    assertThat(a.queries.size()).isEqualTo(b.queries.size()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void eachRoundAsksTheIngestersLiveByThen() throws Exception {
    fake("ingester-a").answerSeries(new IngesterProtocol.SeriesResponse(1,
        List.of(new IngesterProtocol.Series("team-a", Map.of("app", "api"))), List.of(0)));
    IngesterMember killed = ghost("ingester-killed");
    live.add(killed);
    IngesterSource source = source(2, Duration.ofSeconds(30), Duration.ofSeconds(20));

    CompletableFuture<List<TenantSeries>> query = CompletableFuture.supplyAsync(
        () -> source.series(new SeriesRequest(List.of("team-a"), 1, 2, List.of("{app=~\".+\"}"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> fakes.get(0).seriesRequests.size() >= 2);
    // the dead member's heartbeat expired and the new owner of partition 1 announced itself; both
    // list {app="api"}: the series comes back once
    live.remove(killed);
    fake("ingester-c").answerSeries(new IngesterProtocol.SeriesResponse(1, List.of(
        new IngesterProtocol.Series("team-a", Map.of("app", "api")),
        new IngesterProtocol.Series("team-a", Map.of("app", "web"))), List.of(1)));

    assertThat(query.join()).containsExactly(new TenantSeries("team-a", Labels.of("app", "api")),
        new TenantSeries("team-a", Labels.of("app", "web")));
  }

  @Test
  void partitionsStillUncoveredAfterTheWaitFailTheQueryWith503NamingThem() throws Exception {
    fake("ingester-a").answerQueries(covering(List.of(0), stream("p0", 150, "GET /a")));
    IngesterMember killed = ghost("ingester-killed");
    live.add(killed);

    assertThatThrownBy(() -> source(3, Duration.ofSeconds(30), Duration.ofMillis(300)).select(SELECT))
        .isInstanceOf(IngesterException.class)
        .hasMessageStartingWith("partitions [1, 2] of the logs topic are not served by any ready ingester")
        .hasMessageContaining("querier.partition_wait 300ms")
        .hasMessageContaining("ingester ingester-killed (" + killed.endpoint() + ") failed: unreachable")
        .extracting(e -> ((ApiException) e).status()).isEqualTo(503);
  }

  @Test
  void theWaitNeverOutlastsTheQueryTimeout() {
    fake("ingester-a").answerQueries(covering(List.of(0)));

    assertThatThrownBy(() -> source(2, Duration.ofMillis(400), Duration.ofMinutes(10)).select(SELECT))
        .isInstanceOf(IngesterException.class)
        .hasMessageStartingWith("partitions [1] of the logs topic are not served")
        .hasMessageContaining("querier.partition_wait 400ms")
        .extracting(e -> ((ApiException) e).status()).isEqualTo(503);
  }

  @Test
  void aRejectedRequestIsNotAskedAgainButFailsWith400() {
    fake("ingester-a").answerQueries(covering(List.of(0)));
    FakeIngester b = fake("ingester-b").failWith(400, "invalid regex in matcher");

    assertThatThrownBy(() -> source(2, Duration.ofSeconds(30), Duration.ofSeconds(20)).select(SELECT))
        .isInstanceOf(IngesterException.class)
        .hasMessage("ingester ingester-b rejected the query: invalid regex in matcher")
        .extracting(e -> ((ApiException) e).status()).isEqualTo(400);
    assertThat(b.queries).hasSize(1);
  }

  @Test
  void anAnswerWithoutItsPartitionsMakesFailuresFatalAgainUnlessTheOthersCoverEverything() {
    FakeIngester a = fake("ingester-a").answerQueries(covering(List.of(0)));
    fake("ingester-old").answerQueries(stream("old", 170, "GET /old")); // older ingester: lists no partitions
    FakeIngester c = fake("ingester-c").failWith(502, "bad gateway");

    // partition 1 may be the old ingester's or the failed one's: no telling, so the failure counts
    assertThatThrownBy(() -> source(2, Duration.ofSeconds(30), Duration.ofSeconds(20)).select(SELECT))
        .isInstanceOf(IngesterException.class)
        .hasMessage("ingester ingester-c (" + c.endpoint() + ") failed: HTTP 502: bad gateway")
        .extracting(e -> ((ApiException) e).status()).isEqualTo(502);

    a.answerQueries(covering(List.of(0, 1), stream("p0", 150, "GET /a")));
    SelectResult r = source(2, Duration.ofSeconds(30), Duration.ofSeconds(20)).select(SELECT);
    assertThat(r.streams()).flatExtracting(TenantStream::entries).contains(new Entry(150, "GET /a"));
  }

  @Test
  void asksEveryLiveIngesterTheSameQuestionAndConcatenatesTheAnswers() {
    FakeIngester a = fake("ingester-a").answerQueries(
        new IngesterProtocol.StreamResult("team-a", Map.of("app", "api"), List.of(new IngesterProtocol.Entry(150, "GET /"))));
    FakeIngester b = fake("ingester-b").answerQueries(
        new IngesterProtocol.StreamResult("team-a", Map.of("app", "api", "pod", "p2"),
            List.of(new IngesterProtocol.Entry(160, "GET /x"), new IngesterProtocol.Entry(170, "GET /y"))));

    SelectResult r = source(Duration.ofSeconds(10)).select(SELECT);

    assertThat(r.ingestersReached()).isEqualTo(2);
    assertThat(r.streams()).containsExactly(
        new TenantStream("team-a", Labels.of("app", "api"), List.of(new Entry(150, "GET /"))),
        new TenantStream("team-a", Labels.of("app", "api", "pod", "p2"),
            List.of(new Entry(160, "GET /x"), new Entry(170, "GET /y"))));
    IngesterProtocol.QueryRequest expected = new IngesterProtocol.QueryRequest(1, List.of("team-a"),
        "{app=\"api\"} |= \"GET\"", 100, 200, 50, IngesterProtocol.Direction.FORWARD);
    assertThat(a.queries).containsExactly(expected);
    assertThat(b.queries).containsExactly(expected);
  }

  @Test
  void samplesOfAPartitionComeFromTheFirstIngesterAnsweringForIt() {
    // partition 1 is moving: both ingesters answer for it; only ingester-a's samples of it count
    FakeIngester a = fake("ingester-a").answerSamples(new IngesterProtocol.SamplesResponse(1, List.of(0, 1), List.of(
        new IngesterProtocol.SampleSeries("team-a", Map.of("app", "api"), 0,
            List.of(new IngesterProtocol.Sample(110, 1), new IngesterProtocol.Sample(120, 1))),
        new IngesterProtocol.SampleSeries("team-a", Map.of("app", "web"), 1, List.of(new IngesterProtocol.Sample(130, 2)))),
        5L, 100L));
    FakeIngester b = fake("ingester-b").answerSamples(new IngesterProtocol.SamplesResponse(1, List.of(1, 2), List.of(
        new IngesterProtocol.SampleSeries("team-a", Map.of("app", "web"), 1, List.of(new IngesterProtocol.Sample(130, 2))),
        new IngesterProtocol.SampleSeries("team-a", Map.of("app", "db"), 2,
            List.of(new IngesterProtocol.Sample(140, Double.NaN)))), 3L, 60L));
    SampleRequest request = new SampleRequest(List.of("team-a"), "sum_over_time({app=~\".+\"} | unwrap n [1m0s])",
        new Grouping(false, List.of("app")), 100, 200, 10, 105);

    SampleResult r = source(Duration.ofSeconds(10)).samples(request);

    assertThat(r.ingestersReached()).isEqualTo(2);
    assertThat(r.entriesScanned()).isEqualTo(8);
    assertThat(r.bytesScanned()).isEqualTo(160);
    assertThat(r.series()).extracting(s -> s.labels().get("app")).containsExactly("api", "web", "db");
    assertThat(r.series().get(0).timestamps()).containsExactly(110, 120);
    assertThat(r.series().get(2).values()[0]).isNaN();
    IngesterProtocol.SamplesRequest wire = new IngesterProtocol.SamplesRequest(1, List.of("team-a"),
        "sum_over_time({app=~\".+\"} | unwrap n [1m0s])", new IngesterProtocol.SampleGrouping(false, List.of("app")),
        100, 200, 10L, 105L);
    assertThat(a.sampleRequests).containsExactly(wire);
    assertThat(b.sampleRequests).containsExactly(wire);
  }

  @Test
  void chunksToExcludeTravelInBothQueryAndSamplesRequests() {
    FakeIngester a = fake("ingester-a");
    IngesterSource source = source(Duration.ofSeconds(10));
    List<String> keys = List.of("team-a/chunks/00000000000000aa/0000000000000064-00000000000000c8-0000abcd");

    source.select(SELECT.excluding(keys));
    source.samples(new SampleRequest(List.of("team-a"), "count_over_time({app=\"api\"}[1m0s])", null, 100, 200)
        .excluding(keys));

    assertThat(a.queries).singleElement().satisfies(q -> assertThat(q.excludeChunks()).isEqualTo(keys));
    assertThat(a.sampleRequests).singleElement().satisfies(q -> assertThat(q.excludeChunks()).isEqualTo(keys));
  }

  @Test
  void samplesOfAPartitionTheIngesterDidNotListAreRefused() {
    fake("ingester-a").answerSamples(List.of(0),
        new IngesterProtocol.SampleSeries("team-a", Map.of("app", "api"), 3, List.of(new IngesterProtocol.Sample(110, 1))));

    assertThatThrownBy(() -> source(Duration.ofSeconds(10)).samples(
        new SampleRequest(List.of("team-a"), "count_over_time({app=\"api\"}[1m0s])", null, 100, 200)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("ingester-a")
        .hasMessageContaining("partition 3");
  }

  @Test
  void labelAndSeriesLookupsAreForwardedAndConverted() {
    FakeIngester a = fake("ingester-a").answerLabels("app", "env")
        .answerSeries(new IngesterProtocol.Series("team-a", Map.of("app", "api")));
    fake("ingester-b").answerLabels("app", "pod")
        .answerSeries(new IngesterProtocol.Series("team-a", Map.of("app", "web")));
    IngesterSource source = source(Duration.ofSeconds(10));

    List<String> labels = source.labels(new LabelsRequest(List.of("team-a"), 1, 2, "app", "{env=\"prod\"}"));
    List<TenantSeries> series = source.series(new SeriesRequest(List.of("team-a"), 1, 2, List.of("{app=~\".+\"}")));

    // each value once, though both answered "app"
    assertThat(labels).containsExactly("app", "env", "pod");
    assertThat(series).containsExactly(new TenantSeries("team-a", Labels.of("app", "api")),
        new TenantSeries("team-a", Labels.of("app", "web")));
    assertThat(a.labelRequests).containsExactly(
        new IngesterProtocol.LabelsRequest(1, List.of("team-a"), 1, 2, "app", "{env=\"prod\"}"));
    assertThat(a.seriesRequests).containsExactly(
        new IngesterProtocol.SeriesRequest(1, List.of("team-a"), 1, 2, List.of("{app=~\".+\"}")));
  }

  @Test
  void noLiveIngestersIsAnEmptyAnswer() {
    SelectResult r = source(Duration.ofSeconds(10)).select(SELECT);

    assertThat(r.streams()).isEmpty();
    assertThat(r.ingestersReached()).isZero();
  }

  @Test
  void anIngesterAnsweringAnErrorFailsTheQueryNamingIt() {
    fake("ingester-a");
    FakeIngester b = fake("ingester-b").failWith(500, "disk on fire");

    assertThatThrownBy(() -> source(Duration.ofSeconds(10)).select(SELECT))
        .isInstanceOf(IngesterException.class)
        .hasMessage("ingester ingester-b (" + b.endpoint() + ") failed: HTTP 500: disk on fire")
        .extracting(e -> ((ApiException) e).status()).isEqualTo(502);
  }

  @Test
  void anUnreachableIngesterFailsTheQueryNamingIt() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    live.add(new IngesterMember(1, "ghost", "http://127.0.0.1:" + closedPort, List.of(3), true, NOW.toEpochMilli()));

    assertThatThrownBy(() -> source(Duration.ofSeconds(10)).labels(new LabelsRequest(List.of("t"), 1, 2, null, null)))
        .isInstanceOf(IngesterException.class)
        .hasMessageStartingWith("ingester ghost (http://127.0.0.1:" + closedPort + ") failed: unreachable")
        .extracting(e -> ((ApiException) e).status()).isEqualTo(502);
  }

  @Test
  void anIngesterThatDoesNotAnswerInTimeFailsTheQueryWith504NamingIt() {
    fake("ingester-a");
    fake("ingester-slow").hold();

    assertThatThrownBy(() -> source(Duration.ofMillis(300)).select(SELECT))
        .isInstanceOf(IngesterException.class)
        .hasMessageContaining("ingester-slow")
        .hasMessageNotContaining("ingester-a ")
        .extracting(e -> ((ApiException) e).status()).isEqualTo(504);
  }

  @Test
  void anAnswerInAnotherProtocolVersionIsRefused() {
    fake("ingester-a").answerQueries(new IngesterProtocol.QueryResponse(2, List.of()));

    assertThatThrownBy(() -> source(Duration.ofSeconds(10)).select(SELECT))
        .isInstanceOf(IngesterException.class)
        .hasMessageContaining("ingester-a")
        .hasMessageContaining("protocol version 2");
  }

  @Test
  void anIngesterRejectingTheRequestIsA400WithItsReason() {
    fake("ingester-a").failWith(400, "invalid regex in matcher");

    assertThatThrownBy(() -> source(Duration.ofSeconds(10)).select(SELECT))
        .isInstanceOf(IngesterException.class)
        .hasMessage("ingester ingester-a rejected the query: invalid regex in matcher")
        .extracting(e -> ((ApiException) e).status()).isEqualTo(400);
  }
}
