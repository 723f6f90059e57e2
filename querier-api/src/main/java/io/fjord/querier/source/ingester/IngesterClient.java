package io.fjord.querier.source.ingester;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.schemas.ingester.IngesterMember;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends one request of the querier ↔ ingester protocol (JSON over HTTP, see
 * {@link io.fjord.schemas.ingester.IngesterProtocol}) to one ingester and decodes its answer. Every
 * failure becomes an {@link IngesterException} that names the ingester. Thread-safe; shares the one
 * {@link HttpClient} it is given.
 */
final class IngesterClient {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final int MAX_ERROR_TEXT = 300;

  private final HttpClient http;
  private final Duration timeout;

  IngesterClient(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /** POSTs {@code body} as JSON to {@code path} on {@code member}; completes with the decoded answer. */
  <T> CompletableFuture<T> post(IngesterMember member, String path, Object body, Class<T> answerType) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(stripSlash(member.endpoint()) + path))
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
          .build();
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      return CompletableFuture.failedFuture(
          IngesterException.failed(member.instance(), member.endpoint(), "bad endpoint or request: " + e.getMessage(), e));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, error) -> {
          if (error != null) {
            throw failure(member, unwrap(error));
          }
          return decode(member, response, answerType);
        });
  }

  private static <T> T decode(IngesterMember member, HttpResponse<byte[]> response, Class<T> answerType) {
    int status = response.statusCode();
    if (status == 400) {
      throw new IngesterException(400, "ingester " + member.instance() + " rejected the query: " + text(response.body()), null);
    }
    if (status != 200) {
      throw IngesterException.failed(member.instance(), member.endpoint(), "HTTP " + status + ": " + text(response.body()), null);
    }
    T answer;
    try {
      answer = JSON.readValue(response.body(), answerType);
    } catch (IOException e) {
      throw IngesterException.failed(member.instance(), member.endpoint(), "unreadable answer: " + e.getMessage(), e);
    }
    if (answer == null) {
      throw IngesterException.failed(member.instance(), member.endpoint(), "empty answer", null);
    }
    return answer;
  }

  private static IngesterException failure(IngesterMember member, Throwable error) {
    if (error instanceof IngesterException e) {
      return e;
    }
    if (error instanceof HttpTimeoutException) {
      return new IngesterException(504, "ingester " + member.instance() + " (" + member.endpoint()
          + ") did not answer in time", error);
    }
    String why = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    return IngesterException.failed(member.instance(), member.endpoint(), "unreachable: " + why, error);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String text(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8).strip();
    return s.length() > MAX_ERROR_TEXT ? s.substring(0, MAX_ERROR_TEXT) + "..." : s;
  }

  private static String stripSlash(String endpoint) {
    return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
  }
}
