package io.fjord.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The few Loki HTTP API calls the suite makes (push, query_range, query, ready) over one
 * {@link HttpClient} (HTTP/1.1, keep-alive). Refuses any target that is not on 127.0.0.1 or
 * localhost, so a benchmark never sends traffic off the machine. Thread-safe.
 */
final class LokiClient {
  /** A query's answer: HTTP status, the parsed body (null when not JSON), and the raw text. */
  record Answer(int status, JsonNode json, String text) {}

  private final HttpClient http;
  private final String target;
  private final ObjectMapper mapper = new ObjectMapper();

  LokiClient(String target) {
    URI uri = URI.create(target);
    if (!"127.0.0.1".equals(uri.getHost()) && !"localhost".equals(uri.getHost())) {
      throw new IllegalArgumentException("target must be on 127.0.0.1 or localhost: " + target);
    }
    this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Pushes one pre-encoded body; returns the HTTP status. */
  int push(byte[] body, String contentType) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(target + "/loki/api/v1/push"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 204) {
      throw new IOException("push answered " + res.statusCode() + ": " + res.body());
    }
    return res.statusCode();
  }

  Answer queryRange(String query, long startNanos, long endNanos, int limit, String step)
      throws IOException, InterruptedException {
    String q = "query=" + enc(query) + "&start=" + startNanos + "&end=" + endNanos + "&limit=" + limit
        + (step == null ? "" : "&step=" + step);
    return get("/loki/api/v1/query_range?" + q);
  }

  Answer instant(String query, long timeNanos) throws IOException, InterruptedException {
    return get("/loki/api/v1/query?query=" + enc(query) + "&time=" + timeNanos);
  }

  /** Status of /ready, or -1 when nothing answers. */
  int ready() throws InterruptedException {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(target + "/ready")).timeout(Duration.ofSeconds(2)).build();
      return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  private Answer get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(target + pathAndQuery)).timeout(Duration.ofSeconds(300))
        .build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    try {
      json = mapper.readTree(res.body());
    } catch (IOException notJson) {
      // Loki answers errors in plain text; keep the text
    }
    return new Answer(res.statusCode(), json, res.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
