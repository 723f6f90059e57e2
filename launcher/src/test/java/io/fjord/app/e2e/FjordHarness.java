package io.fjord.app.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.app.config.ConfigLoader;
import io.fjord.app.config.FjordConfig;
import io.fjord.app.run.FjordProcess;
import io.fjord.app.run.Target;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A whole {@code fjord all} process inside the test JVM (embedded broker, every role, HTTP on a
 * free port) and a small HTTP client for it. Not thread-safe; one per test class.
 */
final class FjordHarness implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private final FjordProcess process;
  private final HttpClient http = HttpClient.newHttpClient();
  final String base;

  FjordHarness(Path dataDir, Map<String, String> overrides) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("common.path_prefix", dataDir.toString());
    all.put("server.http_listen_port", "0");
    all.put("kafka.embedded_broker_port", "0");
    all.put("kafka.embedded_controller_port", "0");
    all.put("kafka.partitions", "4");
    all.put("ingester.heartbeat_period", "1s");
    all.putAll(overrides);
    FjordConfig config = new ConfigLoader(name -> null).load(null, all);
    process = FjordProcess.start(config, Target.ALL, Clock.systemUTC());
    base = "http://127.0.0.1:" + process.httpPort();
    await().atMost(Duration.ofSeconds(60)).until(() -> get("/ready", null).statusCode() == 200);
  }

  HttpResponse<String> get(String path, String tenant) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String tenant, Map<String, String> params)
      throws IOException, InterruptedException {
    String query = params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return get(path + "?" + query, tenant);
  }

  JsonNode getJson(String path, String tenant, Map<String, String> params) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path, tenant, params);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " " + params + " -> " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  HttpResponse<String> post(String path, String tenant, String contentType, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String pushUrl() {
    return base + "/loki/api/v1/push";
  }

  @Override
  public void close() {
    process.close();
  }
}
