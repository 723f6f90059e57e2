package io.fjord.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code kafka} section: the cluster that is Fjord's write-ahead log, and its topics.
 * Immutable.
 *
 * @param bootstrapServers the cluster to use; empty in {@code fjord all} means "start the embedded
 *     broker" (required for the single-role targets)
 * @param topic the logs topic, partitioned by stream
 * @param partitions partitions of the logs topic when Fjord creates it (the unit of ingester scaling)
 * @param replicationFactor replication of the topics Fjord creates (1 for the embedded broker)
 * @param membershipTopic compacted topic where ingesters announce which partitions they serve
 * @param deadLetterTopic where records that cannot be read go, with the reason in a header
 * @param embeddedBrokerPort client port of the embedded broker ({@code fjord all} only)
 * @param embeddedControllerPort KRaft controller port of the embedded broker
 */
public record KafkaSection(
    @JsonProperty("bootstrap_servers") String bootstrapServers,
    @JsonProperty("topic") String topic,
    @JsonProperty("partitions") Integer partitions,
    @JsonProperty("replication_factor") Short replicationFactor,
    @JsonProperty("membership_topic") String membershipTopic,
    @JsonProperty("dead_letter_topic") String deadLetterTopic,
    @JsonProperty("embedded_broker_port") Integer embeddedBrokerPort,
    @JsonProperty("embedded_controller_port") Integer embeddedControllerPort) {

  public KafkaSection {
    bootstrapServers = bootstrapServers != null ? bootstrapServers : "";
    topic = topic != null ? topic : "logs";
    partitions = partitions != null ? partitions : 8;
    replicationFactor = replicationFactor != null ? replicationFactor : 1;
    membershipTopic = membershipTopic != null ? membershipTopic : topic + ".ingesters";
    deadLetterTopic = deadLetterTopic != null ? deadLetterTopic : topic + ".dead-letter";
    embeddedBrokerPort = embeddedBrokerPort != null ? embeddedBrokerPort : 9092;
    embeddedControllerPort = embeddedControllerPort != null ? embeddedControllerPort : 9093;
    if (partitions < 1) {
      throw new IllegalArgumentException("kafka.partitions must be at least 1, got " + partitions);
    }
  }

  public static KafkaSection defaults() {
    return new KafkaSection(null, null, null, null, null, null, null, null);
  }
}
