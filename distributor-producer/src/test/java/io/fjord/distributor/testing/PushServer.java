package io.fjord.distributor.testing;

import static org.awaitility.Awaitility.await;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.HttpServer;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.distributor.Distributor;
import io.fjord.distributor.DistributorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A distributor on a fresh 8-partition topic, mounted on a real HTTP server on a free port, with a
 * plain {@link HttpClient} to push to it and a consumer to read back everything on the topic.
 * One per test; close it at the end.
 */
public final class PushServer implements AutoCloseable {
  public static final int PARTITIONS = 8;

  private final String bootstrapServers;
  private final String topic;
  private final Distributor distributor;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public PushServer(String bootstrapServers, DistributorConfig config, LimitsConfig limits, TenantResolver tenants) {
    this.bootstrapServers = bootstrapServers;
    this.topic = "logs-" + UUID.randomUUID();
    createTopic(bootstrapServers, topic);
    this.distributor = new Distributor(config, limits, tenants, bootstrapServers, topic, Clock.systemUTC());
    this.server = new HttpServer("127.0.0.1", 0, 256L << 20, List.of(distributor.routes()), () -> true).start();
  }

  public PushServer(String bootstrapServers) {
    this(bootstrapServers, DistributorConfig.defaults(), LimitsConfig.defaults(), new TenantResolver(false, false));
  }

  public static void createTopic(String bootstrapServers, String topic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic, e);
    }
  }

  public String topic() {
    return topic;
  }

  /** A response's status and body text. */
  public record Answer(int status, String body) {}

  public Answer post(String path, byte[] body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException("push to " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Answer pushJson(String json, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = "application/json";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return post("/loki/api/v1/push", json.getBytes(StandardCharsets.UTF_8), all);
  }

  /** Every record on the topic: reads each partition up to its end offset. */
  public List<ConsumerRecord<byte[], byte[]>> records() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(i -> new TopicPartition(topic, i)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
      });
      return out;
    }
  }

  @Override
  public void close() {
    server.close();
    distributor.close();
  }
}
