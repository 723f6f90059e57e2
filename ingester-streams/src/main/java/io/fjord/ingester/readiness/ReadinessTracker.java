package io.fjord.ingester.readiness;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks whether the partitions this instance owns are caught up: when the set of owned partitions
 * changes, it asks Kafka (Admin API) for their end, start and committed offsets, then compares them
 * with what the tasks have processed ({@link CatchUp}). {@link #refresh} does the remote calls and
 * runs on one background thread; {@link #caughtUp} may be called from any thread.
 */
public final class ReadinessTracker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReadinessTracker.class);
  private static final long TIMEOUT_MS = 5_000;

  private final Admin admin;
  private final String topic;
  private final String groupId;
  /** The targets and the partition set they were fetched for, swapped together. */
  private volatile Snapshot snapshot = new Snapshot(Set.of(), Map.of());

  private record Snapshot(Set<Integer> owned, Map<Integer, CatchUp.Target> targets) {}

  public ReadinessTracker(String bootstrapServers, String topic, String groupId) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "fjord-ingester-readiness");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    this.admin = Admin.create(p);
    this.topic = topic;
    this.groupId = groupId;
  }

  /** Fetches targets when {@code owned} differs from the set they were fetched for. Background thread. */
  public void refresh(Set<Integer> owned) {
    if (owned.equals(snapshot.owned())) {
      return;
    }
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (int p : owned) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
          admin.listOffsets(earliest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<Integer, CatchUp.Target> next = new HashMap<>();
      for (int p : owned) {
        TopicPartition tp = new TopicPartition(topic, p);
        OffsetAndMetadata c = committed.get(tp);
        next.put(p, new CatchUp.Target(ends.get(tp).offset(), c == null ? -1 : c.offset(), starts.get(tp).offset()));
      }
      snapshot = new Snapshot(Set.copyOf(owned), Map.copyOf(next));
      log.info("catching up on {} partitions {} of {}: targets {}", owned.size(), owned, topic, next);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("could not read the offsets of {} (will retry): {}", topic, e.toString());
    }
  }

  /** Whether {@code owned} is caught up, given what each partition's task processed last. Any thread. */
  public boolean caughtUp(Set<Integer> owned, IntToLongFunction lastProcessed) {
    Snapshot s = snapshot;
    return owned.equals(s.owned()) && CatchUp.caughtUp(owned, s.targets(), lastProcessed);
  }

  /**
   * The partitions of {@code owned} that are caught up each on its own (see {@link CatchUp}); none
   * while the targets were fetched for another set of partitions. Any thread.
   */
  public Set<Integer> caughtUpPartitions(Set<Integer> owned, IntToLongFunction lastProcessed) {
    Snapshot s = snapshot;
    if (!owned.equals(s.owned())) {
      return Set.of();
    }
    Set<Integer> out = new java.util.TreeSet<>();
    for (int p : owned) {
      if (CatchUp.caughtUp(Set.of(p), s.targets(), lastProcessed)) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(5));
  }
}
