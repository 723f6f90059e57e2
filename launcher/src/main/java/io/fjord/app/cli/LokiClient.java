package io.fjord.app.cli;

import io.fjord.common.config.LokiDuration;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * The HTTP side of {@code fjord query}: {@code GET /loki/api/v1/query_range} and the {@code
 * /loki/api/v1/tail} WebSocket of one server, with X-Scope-OrgID when an org id is given. A non-2xx
 * answer becomes a {@link ServerException} carrying the server's message. Thread-safe.
 */
final class LokiClient {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String addr;
  private final String orgId;

  LokiClient(String addr, String orgId) {
    this.addr = addr;
    this.orgId = orgId;
  }

  /** The body of a successful {@code query_range} answer. */
  String queryRange(QueryOptions o) throws IOException, InterruptedException, ServerException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("query", o.query());
    p.put("start", Long.toString(o.startNanos()));
    p.put("end", Long.toString(o.endNanos()));
    p.put("limit", Integer.toString(o.limit()));
    p.put("direction", o.forward() ? "forward" : "backward");
    if (o.step() != null) {
      p.put("step", LokiDuration.format(o.step()));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(addr + "/loki/api/v1/query_range?" + encode(p)))
        .timeout(TIMEOUT).GET();
    if (orgId != null) {
      b.header("X-Scope-OrgID", orgId);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new ServerException(r.statusCode(), r.body().strip());
    }
    return r.body();
  }

  /** Opens the tail WebSocket from {@code o.startNanos()}; messages go to {@code listener}. */
  WebSocket tail(QueryOptions o, WebSocket.Listener listener) throws IOException, InterruptedException, ServerException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("query", o.query());
    p.put("start", Long.toString(o.startNanos()));
    p.put("limit", Integer.toString(o.limit()));
    URI uri = URI.create(addr.replaceFirst("^http", "ws") + "/loki/api/v1/tail?" + encode(p));
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    if (orgId != null) {
      b.header("X-Scope-OrgID", orgId);
    }
    try {
      return b.buildAsync(uri, listener).get();
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WebSocketHandshakeException h) {
        HttpResponse<?> r = h.getResponse();
        Object body = r.body();
        String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
            : body == null ? "" : body.toString();
        throw new ServerException(r.statusCode(), text.strip());
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause);
    }
  }

  private static String encode(Map<String, String> params) {
    return params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
