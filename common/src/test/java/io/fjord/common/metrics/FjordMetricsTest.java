package io.fjord.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.http.HttpServer;
import io.fjord.common.http.RouteModule;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class FjordMetricsTest {
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void scrapeShowsRegisteredMetersUnderPrometheusNames() {
    try (FjordMetrics metrics = new FjordMetrics()) {
      Counter.builder("loki.distributor.lines.received").tag("tenant", "t1").register(metrics.registry()).increment(3);

      String text = metrics.scrape();

      assertThat(text).contains("loki_distributor_lines_received_total{tenant=\"t1\"} 3.0");
      assertThat(text).contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void serverServesMetricsAndTimesEveryRequestByRouteMethodAndStatus() throws Exception {
    RouteModule hello = routes -> routes.get("/hello/{who}", ctx -> ctx.result("hi " + ctx.pathParam("who")));
    try (FjordMetrics metrics = new FjordMetrics();
        HttpServer server = new HttpServer("127.0.0.1", 0, 1024, List.of(hello), () -> true, metrics).start()) {
      String base = "http://127.0.0.1:" + server.port();
      assertThat(get(base + "/hello/a").statusCode()).isEqualTo(200);
      assertThat(get(base + "/hello/b").statusCode()).isEqualTo(200);
      assertThat(get(base + "/nowhere").statusCode()).isEqualTo(404);

      HttpResponse<String> scrape = get(base + "/metrics");

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
          v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
      assertThat(scrape.body())
          .contains("loki_request_duration_seconds_count{method=\"GET\",route=\"hello_who\",status_code=\"200\"} 2")
          .contains("loki_request_duration_seconds_count{method=\"GET\",route=\"other\",status_code=\"404\"} 1")
          .contains("loki_request_duration_seconds_bucket{method=\"GET\",route=\"hello_who\",status_code=\"200\",le=\"10.0\"} 2");
    }
  }

  private HttpResponse<String> get(String uri) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
