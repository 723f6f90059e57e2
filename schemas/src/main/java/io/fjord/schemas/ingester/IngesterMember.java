package io.fjord.schemas.ingester;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * An ingester's announcement on the membership topic (compacted, key = instance id, value = this
 * record as JSON; a null value means the instance left). Ingesters publish it on every partition
 * assignment change and every heartbeat interval; queriers read the topic to learn, without any
 * static list, which ingester serves which partitions. An announcement older than the querier's
 * expiry is ignored (the instance died without a goodbye). Immutable.
 *
 * @param endpoint base URL of the ingester's HTTP server, e.g. {@code http://10.0.0.7:3100}
 * @param partitions the logs-topic partitions it owns now
 * @param ready whether it has caught up with those partitions
 * @param heartbeatMillis the wall-clock time of this announcement
 */
public record IngesterMember(int version, String instance, String endpoint, List<Integer> partitions,
    boolean ready, long heartbeatMillis) {
  public static final int VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public byte[] encode() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads an announcement; throws {@link IllegalArgumentException} for an unknown version or bad JSON. */
  public static IngesterMember decode(byte[] bytes) {
    IngesterMember m;
    try {
      m = JSON.readValue(bytes, IngesterMember.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable ingester announcement: " + e.getMessage(), e);
    }
    if (m.version() != VERSION) {
      throw new IllegalArgumentException("unsupported ingester announcement version " + m.version());
    }
    return m;
  }
}
