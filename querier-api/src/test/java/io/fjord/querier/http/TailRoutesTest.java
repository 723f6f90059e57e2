package io.fjord.querier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.HttpServer;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.querier.engine.QueryService;
import io.fjord.querier.engine.RequestLimits;
import io.fjord.querier.engine.metric.LokiMetricEngine;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.TenantSeries;
import io.fjord.querier.source.TenantStream;
import io.fjord.querier.tail.TailService;
import io.fjord.schemas.labels.Labels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tail WebSocket over a real server and a real WebSocket client, on a source that grows. */
class TailRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long S = 1_000_000_000L;
  private static final Labels API = Labels.of("app", "api");

  private final Clock clock = Clock.systemUTC();
  private final GrowingSource source = new GrowingSource();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private TailService tails;

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private String server(int maxPerTenant) {
    QueryService service = new QueryService(source, new LokiMetricEngine(source, 500, clock),
        new RequestLimits(LimitsConfig.defaults()), clock);
    tails = new TailService(service, clock, Duration.ofMillis(100), maxPerTenant, 5000);
    TenantResolver tenants = new TenantResolver(true, false);
    TailRoutes routes = new TailRoutes(service, tails, tenants, false, () -> true, clock);
    HttpServer server = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(routes), () -> true).start();
    closeables.add(server);
    closeables.add(tails);
    return "127.0.0.1:" + server.port();
  }

  private Client connect(String hostPort, String tenant, String... params) {
    Client client = new Client();
    WebSocket ws = http.newWebSocketBuilder().header("X-Scope-OrgID", tenant)
        .buildAsync(URI.create("ws://" + hostPort + TailRoutes.PATH + "?" + form(params)), client).join();
    client.ws = ws;
    closeables.add(() -> ws.abort());
    return client;
  }

  @Test
  void sendsTheHistoryThenEachNewEntryOnce() throws Exception {
    long now = clock.millis() * 1_000_000L;
    source.add("t1", API, now - 60 * S, "old");
    source.add("t1", Labels.of("app", "web"), now - 30 * S, "other stream");
    String hostPort = server(10);

    Client c = connect(hostPort, "t1", "query", "{app=\"api\"}");
    await().until(() -> c.messages.size() >= 1);
    assertThat(JSON.readTree(c.messages.get(0))).isEqualTo(JSON.readTree(
        "{\"streams\":[{\"stream\":{\"app\":\"api\"},\"values\":[[\"" + (now - 60 * S) + "\",\"old\"]]}]}"));

    long later = clock.millis() * 1_000_000L;
    source.add("t1", API, later, "fresh");
    source.add("t1", API, later, "fresh too");
    await().until(() -> c.lines().size() >= 3);
    assertThat(c.lines()).containsExactly("old", "fresh", "fresh too");
  }

  @Test
  void historyIsTheNewestLimitEntriesSinceStart() throws Exception {
    long now = clock.millis() * 1_000_000L;
    for (int i = 5; i >= 1; i--) {
      source.add("t1", API, now - i * S, "line " + i);
    }
    String hostPort = server(10);

    Client c = connect(hostPort, "t1", "query", "{app=\"api\"}", "limit", "2");

    await().until(() -> c.lines().size() >= 2);
    assertThat(c.lines()).containsExactly("line 2", "line 1");
  }

  @Test
  void theClientClosingStopsTheTailAndServerShutdownClosesTheClient() throws Exception {
    String hostPort = server(10);
    Client first = connect(hostPort, "t1", "query", "{app=\"api\"}");
    Client second = connect(hostPort, "t1", "query", "{app=\"api\"}");
    await().until(() -> tails.openTails() == 2);

    first.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    await().until(() -> tails.openTails() == 1);

    tails.close();
    await().until(() -> second.closeCode.isDone());
    assertThat(second.closeCode.get()).isEqualTo(1001);
  }

  @Test
  void aSourceThatKeepsFailingClosesTheTailWithAServerErrorNamingTheFailure() throws Exception {
    String hostPort = server(10);
    Client c = connect(hostPort, "t1", "query", "{app=\"api\"}");
    await().until(() -> tails.openTails() == 1);

    source.failure = new io.fjord.common.http.ApiException(502, "ingester i-1 is down");

    await().until(() -> c.closeCode.isDone());
    assertThat(c.closeCode.get()).isEqualTo(1011);
    assertThat(c.closeReason).isEqualTo("ingester i-1 is down");
    assertThat(tails.openTails()).isZero();
  }

  @Test
  void aTenantGetsAtMostItsLimitOfTailsAtOnce() throws Exception {
    String hostPort = server(2);
    connect(hostPort, "t1", "query", "{app=\"api\"}");
    connect(hostPort, "t1", "query", "{app=\"api\"}");
    await().until(() -> tails.openTails() == 2);

    Refusal refused = upgradeAttempt(hostPort, "t1", "query", "{app=\"api\"}");
    connect(hostPort, "t2", "query", "{app=\"api\"}");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).isEqualTo("max concurrent tail requests limit exceeded, count > limit (3 > 2)\n");
    await().until(() -> tails.openTails() == 3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", value = {
      "delay_for=6 => delay_for can't be greater than 5",
      "delay_for=x => invalid parameter \"delay_for\": \"x\" is not an integer",
      "limit=5001 => max entries limit per query exceeded, limit > max_entries_limit (5001 > 5000)",
      "limit=0 => limit must be a positive value",
  })
  void aBadRequestIsRefusedBeforeTheUpgrade(String param, String message) throws Exception {
    String hostPort = server(10);
    String[] kv = param.split("=", 2);

    Refusal r = upgradeAttempt(hostPort, "t1", "query", "{app=\"api\"}", kv[0], kv[1]);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo(message + "\n");
    assertThat(tails.openTails()).isZero();
  }

  @Test
  void aMetricQueryIsRefused() throws Exception {
    String hostPort = server(10);

    Refusal r = upgradeAttempt(hostPort, "t1", "query", "count_over_time({app=\"api\"}[1m])");

    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void theJdkClientSeesARefusalAsAFailedHandshake() {
    String hostPort = server(10);

    CompletableFuture<WebSocket> f = http.newWebSocketBuilder().header("X-Scope-OrgID", "t1")
        .buildAsync(URI.create("ws://" + hostPort + TailRoutes.PATH + "?" + form("query", "{app=\"api\"}",
            "delay_for", "9")), new Client());

    assertThat(f).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(WebSocketHandshakeException.class);
  }

  /** A status and a body, of an upgrade request that was refused. */
  private record Refusal(int statusCode, String body) {}

  /**
   * A WebSocket upgrade request written by hand on a socket (the JDK's HTTP client may not send
   * {@code Upgrade}), so that a refusal's status and body can be read.
   */
  private Refusal upgradeAttempt(String hostPort, String tenant, String... params) throws Exception {
    String[] hp = hostPort.split(":");
    try (Socket socket = new Socket(hp[0], Integer.parseInt(hp[1]))) {
      socket.setSoTimeout(10_000);
      String request = "GET " + TailRoutes.PATH + "?" + form(params) + " HTTP/1.1\r\n"
          + "Host: " + hostPort + "\r\n"
          + "Upgrade: websocket\r\n"
          + "Connection: Upgrade\r\n"
          + "Sec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "X-Scope-OrgID: " + tenant + "\r\n"
          + "\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      int length = -1;
      boolean chunked = false;
      for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
        String lower = h.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(h.substring("content-length:".length()).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      StringBuilder body = new StringBuilder();
      if (chunked) {
        for (int size = Integer.parseInt(in.readLine().trim(), 16); size > 0;
            size = Integer.parseInt(in.readLine().trim(), 16)) {
          body.append(read(in, size));
          in.readLine();
        }
      } else if (length > 0) {
        body.append(read(in, length));
      }
      return new Refusal(Integer.parseInt(status.split(" ")[1]), body.toString());
    }
  }

  /** Reads {@code n} characters (the bodies here are ASCII, so characters are bytes). */
  private static String read(BufferedReader in, int n) throws java.io.IOException {
    char[] buf = new char[n];
    int read = 0;
    while (read < n) {
      int k = in.read(buf, read, n - read);
      if (k < 0) {
        break;
      }
      read += k;
    }
    return new String(buf, 0, read);
  }

  private static String form(String... kv) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      parts.add(URLEncoder.encode(kv[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
    }
    return String.join("&", parts);
  }

  /** Collects a connection's text messages and its close code. */
  private static final class Client implements WebSocket.Listener {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    volatile WebSocket ws;
    volatile String closeReason;
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeReason = reason;
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.completeExceptionally(error);
    }

    /** Every line received, in order. */
    List<String> lines() {
      List<String> out = new ArrayList<>();
      for (String m : messages) {
        try {
          for (JsonNode s : JSON.readTree(m).get("streams")) {
            for (JsonNode v : s.get("values")) {
              out.add(v.get(1).asText());
            }
          }
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      }
      return out;
    }
  }

  /** A source whose streams grow while tails read them; answers select only. */
  private static final class GrowingSource implements LogSource {
    private final List<TenantStream> streams = new CopyOnWriteArrayList<>();
    volatile RuntimeException failure;

    void add(String tenant, Labels labels, long ts, String line) {
      streams.add(new TenantStream(tenant, labels, List.of(new Entry(ts, line))));
    }

    @Override
    public SelectResult select(SelectRequest request) {
      if (failure != null) {
        throw failure;
      }
      String selector = request.query();
      List<TenantStream> out = new ArrayList<>();
      for (TenantStream s : streams) {
        if (request.tenants().contains(s.tenant()) && selector.contains("\"" + s.labels().value(0) + "\"")) {
          out.add(s);
        }
      }
      return new SelectResult(out, 1);
    }

    @Override
    public List<String> labels(LabelsRequest request) {
      return List.of();
    }

    @Override
    public List<TenantSeries> series(SeriesRequest request) {
      return List.of();
    }

    @Override
    public SampleResult samples(SampleRequest request) {
      return SampleResult.EMPTY;
    }
  }
}
