package io.fjord.ingester.membership;

import io.fjord.schemas.ingester.IngesterMember;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this instance's announcements to the compacted membership topic (key = instance id,
 * value = {@link IngesterMember} JSON) and, on a clean shutdown, a tombstone (null value) so
 * queriers forget it at once. Sends are asynchronous; a failure is logged and the next heartbeat
 * tries again. Thread-safe (the Kafka producer is).
 */
public final class MembershipPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MembershipPublisher.class);
  private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);

  private final String topic;
  private final String instance;
  private final KafkaProducer<String, byte[]> producer;

  public MembershipPublisher(String bootstrapServers, String topic, String instance) {
    this.topic = topic;
    this.instance = instance;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "fjord-ingester-membership-" + instance);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  public void publish(IngesterMember member) {
    producer.send(new ProducerRecord<>(topic, instance, member.encode()), (md, e) -> {
      if (e != null) {
        log.warn("could not announce ingester {} on {}: {}", instance, topic, e.toString());
      }
    });
  }

  /** Publishes the tombstone and waits (briefly) until Kafka has it. */
  public void leave() {
    try {
      producer.send(new ProducerRecord<>(topic, instance, null)).get(LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("ingester {} left the membership topic {}", instance, topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("could not publish the leave tombstone of ingester {}: {}", instance, e.toString());
    }
  }

  @Override
  public void close() {
    producer.close(LEAVE_TIMEOUT);
  }
}
