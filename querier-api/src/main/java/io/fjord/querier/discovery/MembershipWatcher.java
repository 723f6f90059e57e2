package io.fjord.querier.discovery;

import io.fjord.schemas.ingester.IngesterMember;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the membership topic (compacted; key = instance id, value = {@link IngesterMember} JSON,
 * null value = the instance left) from the beginning, without a consumer group, and keeps the
 * {@link IngesterRegistry} up to date for as long as it runs. It is caught up once it has read every
 * partition up to the end offsets it saw at start; the querier is ready from then on. Announcements
 * that cannot be decoded are logged and skipped. Given the logs topic, it also asks Kafka for that
 * topic's partition count at start and every {@link #PARTITIONS_REFRESH} after (every 2 s while the
 * topic does not exist), for the registry. Owns one background thread and one Kafka consumer;
 * {@link #start()} and {@link #close()} are called once each, {@link #caughtUp()} from any thread.
 */
public final class MembershipWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MembershipWatcher.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long TOPIC_RETRY_MILLIS = 500;
  static final Duration PARTITIONS_REFRESH = Duration.ofSeconds(30);

  private final String topic;
  private final String logsTopic;
  private final IngesterRegistry registry;
  private final Properties consumerProps;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread thread;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean caughtUp;

  public MembershipWatcher(String bootstrapServers, String topic, IngesterRegistry registry) {
    this(bootstrapServers, topic, null, registry);
  }

  /**
   * @param logsTopic the logs topic whose partition count goes to the registry; null: not asked
   *     (the count stays unknown)
   */
  public MembershipWatcher(String bootstrapServers, String topic, String logsTopic, IngesterRegistry registry) {
    this.topic = topic;
    this.logsTopic = logsTopic;
    this.registry = registry;
    this.consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "fjord-querier-membership");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.thread = new Thread(this::run, "fjord-querier-membership");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Whether the topic has been read up to its end once (stays true afterwards). */
  public boolean caughtUp() {
    return caughtUp;
  }

  private void run() {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps)) {
      consumer = c;
      if (closing.getCount() == 0) {
        return;
      }
      Map<TopicPartition, Long> endOffsets = assignFromBeginning(c);
      long partitionsDue = System.nanoTime();
      while (closing.getCount() > 0) {
        try {
          if (logsTopic != null && System.nanoTime() - partitionsDue >= 0) {
            refreshLogsPartitions(c);
            // while the topic does not exist yet, ask again soon
            partitionsDue = System.nanoTime()
                + (registry.logsPartitions() > 0 ? PARTITIONS_REFRESH : Duration.ofSeconds(2)).toNanos();
          }
          for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
            apply(r.key(), r.value(), r.partition(), r.offset());
          }
          if (!caughtUp && endOffsets != null && reached(c, endOffsets)) {
            caughtUp = true;
            log.info("read membership topic {} to its end: {} live ingester(s)", topic, registry.live().size());
          }
        } catch (WakeupException e) {
          // close() woke us up; the loop condition ends it
        } catch (RuntimeException e) {
          log.warn("reading membership topic {} failed; retrying", topic, e);
          pause(TOPIC_RETRY_MILLIS);
        }
      }
    } catch (WakeupException e) {
      // closed while assigning
    } catch (RuntimeException e) {
      log.error("membership watcher for {} stopped", topic, e);
    } finally {
      consumer = null;
    }
  }

  /** Waits for the topic to exist, assigns all its partitions from offset 0, returns their end offsets. */
  private Map<TopicPartition, Long> assignFromBeginning(KafkaConsumer<byte[], byte[]> c) {
    boolean warned = false;
    while (closing.getCount() > 0) {
      List<PartitionInfo> infos;
      try {
        infos = c.partitionsFor(topic, Duration.ofSeconds(5));
      } catch (WakeupException e) {
        throw e;
      } catch (RuntimeException e) {
        infos = List.of();
        log.debug("cannot list partitions of {}", topic, e);
      }
      if (infos != null && !infos.isEmpty()) {
        List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> ends = new HashMap<>(c.endOffsets(parts));
        log.info("reading membership topic {} ({} partition(s)) from the beginning", topic, parts.size());
        return ends;
      }
      if (!warned) {
        log.warn("membership topic {} does not exist yet; waiting for it", topic);
        warned = true;
      }
      pause(TOPIC_RETRY_MILLIS);
    }
    return null;
  }

  /** Asks Kafka for the logs topic's partition count; a failure keeps the last count known. */
  private void refreshLogsPartitions(KafkaConsumer<byte[], byte[]> c) {
    List<PartitionInfo> infos;
    try {
      infos = c.partitionsFor(logsTopic, Duration.ofSeconds(5));
    } catch (WakeupException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("cannot read the partition count of {} (will retry): {}", logsTopic, e.toString());
      return;
    }
    int count = infos == null ? 0 : infos.size();
    if (count != registry.logsPartitions()) {
      log.info("logs topic {} has {} partition(s)", logsTopic, count);
      if (count > 0 || registry.logsPartitions() == 0) {
        registry.logsPartitions(count);
      }
    }
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> endOffsets) {
    for (Map.Entry<TopicPartition, Long> e : endOffsets.entrySet()) {
      if (c.position(e.getKey(), Duration.ofSeconds(5)) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Applies one record of the membership topic to the registry. Package-private for tests. */
  void apply(byte[] key, byte[] value, int partition, long offset) {
    if (key == null) {
      log.warn("skipping membership record without a key at {}-{}@{}", topic, partition, offset);
      return;
    }
    String instance = new String(key, StandardCharsets.UTF_8);
    if (value == null) {
      registry.remove(instance);
      log.info("ingester {} left", instance);
      return;
    }
    try {
      registry.announce(instance, IngesterMember.decode(value));
    } catch (IllegalArgumentException e) {
      log.warn("skipping undecodable announcement of {} at {}-{}@{}: {}", instance, topic, partition, offset,
          e.getMessage());
    }
  }

  private void pause(long millis) {
    try {
      closing.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread.isAlive()) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
