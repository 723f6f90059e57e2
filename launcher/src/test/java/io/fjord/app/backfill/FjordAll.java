package io.fjord.app.backfill;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.app.config.ConfigLoader;
import io.fjord.app.run.FjordProcess;
import io.fjord.app.run.Target;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@code fjord all} process in the test JVM (embedded broker, every role, HTTP on a free port),
 * with what the backfill tests need around it: source topics, a producer of application logs and
 * Loki's query API. Not thread-safe; one per test class.
 */
final class FjordAll implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private final FjordProcess process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Producer<byte[], byte[]> producer;
  final String base;

  FjordAll(Path dataDir) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("common.path_prefix", dataDir.toString());
    config.put("server.http_listen_port", "0");
    config.put("kafka.embedded_broker_port", "0");
    config.put("kafka.embedded_controller_port", "0");
    config.put("kafka.partitions", "2");
    config.put("ingester.heartbeat_period", "1s");
    process = FjordProcess.start(new ConfigLoader(name -> null).load(null, config), Target.ALL, Clock.systemUTC());
    base = "http://127.0.0.1:" + process.httpPort();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    await().atMost(Duration.ofSeconds(60)).until(() -> get("/ready").statusCode() == 200);
  }

  String bootstrapServers() {
    return process.bootstrapServers();
  }

  Producer<byte[], byte[]> producer() {
    return producer;
  }

  void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** Writes {@code value} to {@code partition} of {@code topic} with a Kafka timestamp; returns where it went. */
  RecordMetadata produce(String topic, int partition, long timestampMillis, String value) throws Exception {
    byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    return producer.send(new ProducerRecord<>(topic, partition, timestampMillis, null, bytes)).get(30, TimeUnit.SECONDS);
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The streams of a log query over the last two hours, oldest entries first. */
  JsonNode queryRange(String logql) throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    Map<String, String> params = Map.of("query", logql, "start", String.valueOf(now - 7_200_000_000_000L),
        "end", String.valueOf(now + 60_000_000_000L), "limit", "5000", "direction", "forward");
    String query = params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> r = get("/loki/api/v1/query_range?" + query);
    if (r.statusCode() != 200) {
      throw new AssertionError("query " + logql + " -> " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).at("/data/result");
  }

  /** Every entry a query returns as "labels ts line", in the answer's order. */
  List<String> entries(String logql) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode stream : queryRange(logql)) {
      for (JsonNode v : stream.get("values")) {
        out.add(stream.get("stream").toString() + " " + v.get(0).asText() + " " + v.get(1).asText());
      }
    }
    return out;
  }

  /** A counter from {@code /metrics}, 0 when absent. */
  double metric(String name) throws Exception {
    double sum = 0;
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    process.close();
  }
}
