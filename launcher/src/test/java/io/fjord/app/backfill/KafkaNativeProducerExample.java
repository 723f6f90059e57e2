package io.fjord.app.backfill;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes a log line straight to Fjord's logs topic, in the logs-topic record format version 1. */
public final class KafkaNativeProducerExample {
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.length > 0 ? args[0] : "127.0.0.1:9092");
    config.put(ProducerConfig.ACKS_CONFIG, "all"); // stored once Kafka says so, as a push answered 204
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (Producer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      SortedMap<String, String> labels = new TreeMap<>(Map.of("app", "shop", "env", "dev"));
      long nanos = System.currentTimeMillis() * 1_000_000L;
      send(producer, "logs", "fake", labels, nanos, "GET /cart 200");
    }
  }

  /** One record holding one entry of the stream {@code labels} of {@code tenant}; waits for the ack. */
  static void send(Producer<byte[], byte[]> producer, String topic, String tenant, SortedMap<String, String> labels,
      long unixNanos, String line) throws Exception {
    byte[] key = key(tenant, labels);
    byte[] value = value(tenant, labels, unixNanos, line);
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  /** version 1 | FNV-1a 64 of the labels sorted by name, each string followed by 0xFF | tenant. */
  static byte[] key(String tenant, SortedMap<String, String> labels) {
    long hash = 0xcbf29ce484222325L;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      for (String s : new String[] {label.getKey(), label.getValue()}) {
        for (byte b : s.getBytes(UTF_8)) {
          hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        hash = (hash ^ 0xff) * 0x100000001b3L;
      }
    }
    byte[] t = tenant.getBytes(UTF_8);
    return ByteBuffer.allocate(9 + t.length).put((byte) 1).putLong(hash).put(t).array();
  }

  /** "FJ" | version 1 | flags 0 | tenant | labels | 1 entry (time, line, no metadata) | CRC32C. */
  static byte[] value(String tenant, SortedMap<String, String> labels, long unixNanos, String line) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'F', 'J', 1, 0});
    string(out, tenant);
    uvarint(out, labels.size());
    labels.forEach((name, v) -> {
      string(out, name);
      string(out, v);
    });
    uvarint(out, 1);
    out.writeBytes(ByteBuffer.allocate(8).putLong(unixNanos).array());
    string(out, line);
    uvarint(out, 0);
    CRC32C crc = new CRC32C();
    crc.update(out.toByteArray());
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    return out.toByteArray();
  }

  static void string(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(UTF_8);
    uvarint(out, bytes.length);
    out.writeBytes(bytes);
  }

  static void uvarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
