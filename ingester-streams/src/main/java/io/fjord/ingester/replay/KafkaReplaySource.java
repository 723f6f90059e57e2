package io.fjord.ingester.replay;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays logs-topic partitions from Kafka (and tells the tasks the topic's partition count). The
 * plan comes from {@link ReplayStart} and three
 * offsets read with the Admin API: the log start and end, and the consumer group's committed
 * offset, which is exactly where the partition's stream task resumes. The records are read with a
 * plain {@link KafkaConsumer} of its own: no group (assign + seek, nothing is ever committed), no
 * key deserialization, fetches sized for throughput, and a fetch thread that decompresses and
 * parses the next batches while the task ingests the current one, since this is the recovery path.
 *
 * <p>Thread-safe: one shared Admin client; each {@link #read} runs its own consumer on its own
 * fetch thread and hands the records to the calling (stream) thread, which alone calls the sink.
 * {@link #abort} (any thread) makes running and later reads throw {@link ReplayAbortedException},
 * so a shutdown does not wait for a long replay.
 */
public final class KafkaReplaySource implements ReplaySource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaReplaySource.class);
  /** Admin calls; the Admin client retries within it. */
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(500);
  /** How long a replay may see no progress before it says so in the log (it keeps trying). */
  private static final long STALL_WARN_NANOS = TimeUnit.SECONDS.toNanos(30);
  /**
   * Fetch sizes: large enough to stream (a fetch from the broker takes about a millisecond), small
   * enough that the records in flight (the fetch being parsed, the batches handed over, the one
   * being ingested) stay near 16 MB: every young collection during the replay copies them all.
   */
  static final int FETCH_MAX_BYTES = 8 * 1024 * 1024;
  static final int PARTITION_FETCH_MAX_BYTES = 4 * 1024 * 1024;
  static final int MAX_POLL_RECORDS = 10_000;
  /** Batches fetched ahead of the one being ingested. */
  static final int HANDOFF_BATCHES = 2;
  static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

  private final String bootstrapServers;
  private final String topic;
  private final String groupId;
  private final ReplayStart replayStart;
  private final String clientId;
  private final Admin admin;
  private final Set<KafkaConsumer<?, ?>> reading = ConcurrentHashMap.newKeySet();
  private volatile boolean aborted;

  /**
   * @param groupId the consumer group of the stream tasks (the Kafka Streams application id)
   * @param clientId prefix of the Kafka client ids, e.g. {@code fjord-ingester-<instance>}
   */
  public KafkaReplaySource(String bootstrapServers, String topic, String groupId, ReplayStart replayStart,
      String clientId) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.groupId = groupId;
    this.replayStart = replayStart;
    this.clientId = clientId;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-replay-admin");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
    this.admin = Admin.create(p);
  }

  @Override
  public ReplayPlan plan(int partition) {
    TopicPartition tp = new TopicPartition(topic, partition);
    ReplayCheckpoint checkpoint = replayStart.checkpoint(partition);
    long start = checkpoint.replayFrom();
    try {
      OffsetAndMetadata committed = admin.listConsumerGroupOffsets(
              Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(tp))))
          .partitionsToOffsetAndMetadata(groupId).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(tp);
      long logStart = admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
      long logEnd = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
      ReplayPlan plan = ReplayPlan.of(partition, checkpoint, committed == null ? -1 : committed.offset(), logStart,
          logEnd);
      log.info("{} {}: replay start {} ({} streams with flushed offsets), committed {}, log [{}, {}) -> replay {}",
          topic, partition, start, checkpoint.flushedThrough().size(), committed == null ? "none" : committed.offset(),
          logStart, logEnd, plan);
      return plan;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplayAbortedException("interrupted while planning the replay of " + tp);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the offsets of " + tp + " for group " + groupId + ": " + e, e);
    }
  }

  /**
   * The logs topic's partition count, asked of Kafka on every call (tasks ask when they start; the
   * stream limit divides by it).
   */
  public int partitionCount() {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .get(topic).partitions().size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplayAbortedException("interrupted while describing " + topic);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe the logs topic " + topic + ": " + e, e);
    }
  }

  /**
   * Reads {@code plan} on a fetch thread of its own, which polls, decompresses and parses the next
   * batches while the calling thread ingests the current one; hands batches over through a small
   * queue and joins the thread before returning.
   */
  @Override
  public void read(ReplayPlan plan, ReplaySink sink) {
    if (plan.isEmpty()) {
      return;
    }
    Fetcher fetcher = new Fetcher(plan);
    fetcher.thread.start();
    try {
      while (true) {
        if (aborted) {
          throw new ReplayAbortedException("replay of " + plan + " aborted: shutting down");
        }
        List<ConsumerRecord<Object, byte[]>> batch = fetcher.next();
        if (batch == null) {
          return;
        }
        for (int i = 0, n = batch.size(); i < n; i++) {
          ConsumerRecord<Object, byte[]> r = batch.get(i);
          if (r.offset() >= plan.end()) {
            break;
          }
          sink.record(r.offset(), r.timestamp(), r.value());
        }
        sink.batchEnd();
      }
    } finally {
      fetcher.stop();
    }
  }

  /** What the fetch thread hands over: a batch, the end, or why it stopped. */
  private record Fetched(List<ConsumerRecord<Object, byte[]>> records, RuntimeException failure) {
    static final Fetched END = new Fetched(null, null);
  }

  /** The fetch thread of one {@link #read} and its consumer, both confined to it. */
  private final class Fetcher implements Runnable {
    final ReplayPlan plan;
    final TopicPartition tp;
    final Thread thread;
    final BlockingQueue<Fetched> queue = new ArrayBlockingQueue<>(HANDOFF_BATCHES);
    volatile KafkaConsumer<Object, byte[]> consumer;
    volatile boolean stopped;

    Fetcher(ReplayPlan plan) {
      this.plan = plan;
      this.tp = new TopicPartition(topic, plan.partition());
      this.thread = new Thread(this, clientId + "-replay-" + plan.partition());
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      Fetched last = Fetched.END;
      KafkaConsumer<Object, byte[]> c = null;
      try {
        c = new KafkaConsumer<>(consumerProperties(plan.partition()), new NoKey(), new ByteArrayDeserializer());
        consumer = c;
        reading.add(c);
        c.assign(List.of(tp));
        c.seek(tp, plan.start());
        fetchRange(c);
      } catch (WakeupException | InterruptException | InterruptedException e) {
        last = new Fetched(null, new ReplayAbortedException("replay of " + plan + " aborted: shutting down"));
      } catch (RuntimeException e) {
        last = new Fetched(null, e);
      } catch (Error e) {
        last = new Fetched(null, new IllegalStateException("replay fetch thread of " + plan + " failed", e));
        throw e;
      } finally {
        if (c != null) {
          reading.remove(c);
          consumer = null;
          closeQuietly(c);
        }
        handOver(last);
      }
    }

    /** Nothing to commit or leave: does not wait for the fetch already sent past the end. */
    private void closeQuietly(KafkaConsumer<Object, byte[]> c) {
      try {
        c.close(CloseOptions.timeout(Duration.ZERO));
      } catch (RuntimeException e) {
        log.debug("closing the replay consumer of {}: {}", plan, e.toString());
      }
    }

    /** Passes the last item unless the reader has stopped listening (then nobody would take it). */
    private void handOver(Fetched last) {
      if (stopped) {
        return;
      }
      try {
        queue.put(last); // stop() interrupts a put that would wait for a reader that left
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void fetchRange(KafkaConsumer<Object, byte[]> c) throws InterruptedException {
      long position = plan.start();
      long lastProgress = System.nanoTime();
      while (position < plan.end()) {
        if (aborted || stopped) {
          throw new WakeupException();
        }
        List<ConsumerRecord<Object, byte[]>> records = c.poll(POLL).records(tp);
        if (!records.isEmpty()) {
          queue.put(new Fetched(records, null));
        }
        // the position also moves over offsets without records (markers) and, after a retention
        // reset (auto.offset.reset=earliest), to the new log start
        long next = c.position(tp);
        if (next != position) {
          position = next;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > STALL_WARN_NANOS) {
          log.warn("replay of {} makes no progress at offset {}; still trying", plan, position);
          lastProgress = System.nanoTime();
        }
      }
    }

    /** The next batch, or null at the end. Calling thread. */
    List<ConsumerRecord<Object, byte[]>> next() {
      Fetched f;
      try {
        f = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ReplayAbortedException("replay of " + plan + " interrupted");
      }
      if (f.failure() != null) {
        throw f.failure();
      }
      return f.records();
    }

    /** Stops the thread if it still runs and waits for it (and so for its consumer to close). */
    void stop() {
      stopped = true;
      wakeUp(consumer);
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Properties consumerProperties(int partition) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-replay-" + partition);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"); // as the stream task reads
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, PARTITION_FETCH_MAX_BYTES);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, RECEIVE_BUFFER_BYTES);
    // as the stream task's consumer (Ingester): every value's own CRC32C is checked when decoded
    p.put(ConsumerConfig.CHECK_CRCS_CONFIG, false);
    return p;
  }

  /** Stops running replays and refuses later ones. Any thread; idempotent. */
  public void abort() {
    aborted = true;
    for (KafkaConsumer<?, ?> c : reading) {
      wakeUp(c);
    }
  }

  /** Wakes a consumer that another thread may be closing at this moment. */
  private static void wakeUp(KafkaConsumer<?, ?> c) {
    if (c != null) {
      try {
        c.wakeup();
      } catch (RuntimeException closed) {
        // it closed meanwhile: nothing to wake
      }
    }
  }

  @Override
  public void close() {
    abort();
    admin.close(Duration.ofSeconds(5));
  }

  /** Replay never needs the key (the value repeats tenant and labels): skip copying it. */
  private static final class NoKey implements Deserializer<Object> {
    @Override
    public Object deserialize(String topic, byte[] data) {
      return null;
    }

    @Override
    public Object deserialize(String topic, Headers headers, ByteBuffer data) {
      return null;
    }
  }
}
