package io.fjord.ingester.replay;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one partition's replay may skip, as last recorded durably: every record below
 * {@code replayFrom} is flushed (or was refused), and for each listed stream every record at an
 * offset {@code <= flushedThrough} is flushed. Replay starts at {@code replayFrom} and skips a
 * listed stream's records up to its offset. Format in schemas/FORMATS.md ("Replay checkpoint");
 * codec {@link ReplayCheckpointCodec}. Immutable.
 *
 * @param partition the logs-topic partition
 * @param replayFrom the oldest offset whose entries may not be flushed: the first record of the
 *     oldest unflushed chunk held, or the next offset to process when nothing unflushed is held
 * @param writtenAtMillis when it was computed (for operators; replay does not use it)
 * @param flushedThrough per stream with flushed records at or after {@code replayFrom}: the offset
 *     of the last record of its newest flushed chunk
 */
public record ReplayCheckpoint(int partition, long replayFrom, long writtenAtMillis,
    Map<StreamId, Long> flushedThrough) {

  /**
   * A stream within a partition: tenant and label fingerprint. (Two streams of one tenant whose
   * 64-bit fingerprints collide share an entry; the writer keeps the smaller offset, so replay reads
   * more, never less.)
   */
  public record StreamId(String tenant, long fingerprint) implements Comparable<StreamId> {
    @Override
    public int compareTo(StreamId o) {
      int c = tenant.compareTo(o.tenant);
      return c != 0 ? c : Long.compareUnsigned(fingerprint, o.fingerprint);
    }
  }

  public ReplayCheckpoint {
    if (partition < 0 || replayFrom < 0) {
      throw new IllegalArgumentException("bad checkpoint: partition " + partition + ", replay from " + replayFrom);
    }
    flushedThrough = Map.copyOf(new TreeMap<>(flushedThrough));
  }

  /** No checkpoint: replay from the start of the log, skip nothing. */
  public static ReplayCheckpoint none(int partition) {
    return new ReplayCheckpoint(partition, 0, 0, Map.of());
  }

  /** Whether the record of {@code stream} at {@code offset} is known to be flushed. */
  public boolean flushed(String tenant, long fingerprint, long offset) {
    if (offset < replayFrom) {
      return true;
    }
    if (flushedThrough.isEmpty()) {
      return false;
    }
    Long through = flushedThrough.get(new StreamId(tenant, fingerprint));
    return through != null && offset <= through;
  }
}
