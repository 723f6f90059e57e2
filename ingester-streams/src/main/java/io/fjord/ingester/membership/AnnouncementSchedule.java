package io.fjord.ingester.membership;

import io.fjord.schemas.ingester.IngesterMember;
import java.util.List;

/**
 * Decides when this instance announces itself: at once when its partitions or its readiness
 * change, and otherwise once per heartbeat period. Pure (callers pass the time). Thread-safe.
 */
public final class AnnouncementSchedule {
  private final String instance;
  private final long heartbeatMillis;
  private List<Integer> lastPartitions;
  private boolean lastReady;
  private long lastMillis;

  public AnnouncementSchedule(String instance, long heartbeatMillis) {
    this.instance = instance;
    this.heartbeatMillis = heartbeatMillis;
  }

  /**
   * The announcement to publish now, or {@code null} when nothing changed and the last one is
   * recent enough.
   *
   * @param partitions the owned logs-topic partitions, sorted
   */
  public synchronized IngesterMember next(String endpoint, List<Integer> partitions, boolean ready, long nowMillis) {
    boolean changed = lastPartitions == null || !lastPartitions.equals(partitions) || lastReady != ready;
    if (!changed && nowMillis - lastMillis < heartbeatMillis) {
      return null;
    }
    lastPartitions = List.copyOf(partitions);
    lastReady = ready;
    lastMillis = nowMillis;
    return new IngesterMember(IngesterMember.VERSION, instance, endpoint, lastPartitions, ready, nowMillis);
  }
}
