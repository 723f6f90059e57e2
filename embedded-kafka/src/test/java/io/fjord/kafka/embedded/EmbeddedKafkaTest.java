package io.fjord.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
  @TempDir Path dir;

  @Test
  void recordsWrittenBeforeARestartAreReadAfterIt() throws Exception {
    int brokerPort;
    int controllerPort;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, 0)) {
      brokerPort = Integer.parseInt(kafka.bootstrapServers().split(":")[1]);
      controllerPort = kafka.controllerPort();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("t", 2, (short) 1))).all().get();
      }
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(kafka))) {
        producer.send(new ProducerRecord<>("t", 1, null, "hello".getBytes(StandardCharsets.UTF_8))).get();
      }
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, brokerPort, controllerPort)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        assertThat(admin.listTopics().names().get()).contains("t");
      }
      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
        TopicPartition tp = new TopicPartition("t", 1);
        consumer.assign(Set.of(tp));
        consumer.seekToBeginning(Set.of(tp));
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofSeconds(10));
        assertThat(records.records(tp)).hasSize(1);
        assertThat(new String(records.records(tp).get(0).value(), StandardCharsets.UTF_8)).isEqualTo("hello");
      }
    }
  }

  @Test
  void requestThreadsFollowTheCoresWithinKafkasDefaults() {
    // cores -> {network, io}: half the cores for the network (1..3), one I/O thread per core (2..8)
    int[][] expected = {{1, 1, 2}, {2, 1, 2}, {4, 2, 4}, {6, 3, 6}, {16, 3, 8}};
    for (int[] row : expected) {
      Properties p = EmbeddedKafka.brokerProperties(dir, 9092, 9093, row[0]);
      assertThat(p.getProperty("num.network.threads")).as("network threads, %d cores", row[0])
          .isEqualTo(Integer.toString(row[1]));
      assertThat(p.getProperty("num.io.threads")).as("I/O threads, %d cores", row[0])
          .isEqualTo(Integer.toString(row[2]));
    }
  }

  private static Properties producerProps(EmbeddedKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return p;
  }
}
