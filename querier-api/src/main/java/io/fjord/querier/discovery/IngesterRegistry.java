package io.fjord.querier.discovery;

import io.fjord.schemas.ingester.IngesterMember;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingesters the querier knows of, keyed by instance id, as the membership topic last described
 * them, and the partition count of the logs topic they serve (0 while unknown): together the
 * ingesters' answers must cover every partition. An announcement whose heartbeat is older than the expiry counts as gone: the instance died
 * without publishing its goodbye (a tombstone). Pure state, no I/O; time comes from the injected
 * clock. Thread-safe: one writer (the membership consumer), many readers (queries).
 */
public final class IngesterRegistry {
  private final Map<String, IngesterMember> members = new ConcurrentHashMap<>();
  private volatile int logsPartitions;
  private final long expiryMillis;
  private final Clock clock;

  public IngesterRegistry(Duration expiry, Clock clock) {
    this.expiryMillis = expiry.toMillis();
    this.clock = clock;
  }

  /** Records the latest announcement of {@code instance}, replacing any earlier one. */
  public void announce(String instance, IngesterMember member) {
    members.put(instance, member);
  }

  /** Forgets {@code instance} (its tombstone was read). */
  public void remove(String instance) {
    members.remove(instance);
  }

  /** Records the logs topic's partition count as Kafka last told it (0: unknown, e.g. no topic yet). */
  public void logsPartitions(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("partition count must not be negative: " + count);
    }
    logsPartitions = count;
  }

  /** The logs topic's partition count, 0 while unknown. */
  public int logsPartitions() {
    return logsPartitions;
  }

  /** The ingesters whose latest announcement is within the expiry, ordered by instance id. */
  public List<IngesterMember> live() {
    long now = clock.millis();
    List<IngesterMember> out = new ArrayList<>();
    for (Map.Entry<String, IngesterMember> e : members.entrySet()) {
      IngesterMember m = e.getValue();
      if (now - m.heartbeatMillis() <= expiryMillis) {
        out.add(m);
      } else {
        // expired: drop it so the map stays as small as the live set (a later heartbeat re-adds it)
        members.remove(e.getKey(), m);
      }
    }
    out.sort(Comparator.comparing(IngesterMember::instance, Comparator.nullsFirst(Comparator.naturalOrder())));
    return out;
  }
}
