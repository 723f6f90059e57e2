package io.fjord.querier.source.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngesterSourceTest {
  private static final Instant NOW = Instant.parse("2026-11-20T00:00:00Z");
  private static final SelectRequest SELECT =
      new SelectRequest(List.of("team-a"), "{app=\"api\"} |= \"GET\"", 100, 200, 50, Direction.FORWARD);

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<FakeIngester> fakes = new ArrayList<>();
  private final List<IngesterMember> live = new ArrayList<>();

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

    assertThat(labels).containsExactly("app", "env", "app", "pod");
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
