package io.fjord.app.run;

import io.fjord.app.config.KafkaSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Fjord's topics when they are missing: the logs topic (the write-ahead log, partitioned
 * by stream), the compacted membership topic and the dead-letter topic. Existing topics are left
 * as they are; a logs topic with a different partition count than configured is reported, since
 * repartitioning would move streams between partitions. Stateless.
 */
public final class Topics {
  private static final Logger log = LoggerFactory.getLogger(Topics.class);

  private Topics() {}

  public static void ensure(String bootstrapServers, KafkaSection kafka) {
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      if (!existing.contains(kafka.topic())) {
        missing.add(new NewTopic(kafka.topic(), kafka.partitions(), kafka.replicationFactor()));
      } else {
        TopicDescription d = admin.describeTopics(List.of(kafka.topic())).allTopicNames()
            .get(30, TimeUnit.SECONDS).get(kafka.topic());
        if (d.partitions().size() != kafka.partitions()) {
          log.warn("logs topic {} has {} partitions, config says {}: keeping the topic as it is", kafka.topic(),
              d.partitions().size(), kafka.partitions());
        }
      }
      if (!existing.contains(kafka.membershipTopic())) {
        missing.add(new NewTopic(kafka.membershipTopic(), 1, kafka.replicationFactor()).configs(Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(TimeUnit.HOURS.toMillis(1)))));
      }
      if (!existing.contains(kafka.deadLetterTopic())) {
        missing.add(new NewTopic(kafka.deadLetterTopic(), 1, kafka.replicationFactor()));
      }
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        log.info("created topics {}", missing.stream().map(NewTopic::name).toList());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create Fjord's topics on " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }
}
