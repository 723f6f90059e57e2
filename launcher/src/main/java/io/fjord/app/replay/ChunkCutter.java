package io.fjord.app.replay;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Cuts the entries of many streams, given in logs-topic order, into chunks, deterministically: the
 * same entries in the same order always give the same chunks, so that a replay run twice writes the
 * same chunk objects (same keys) again. A stream's entries are gathered in arrival order until they
 * hold {@code targetBytes} of line and metadata text, then cut; a chunk is sorted by timestamp (equal
 * timestamps keep arrival order) and an entry with the timestamp and line of an earlier one is
 * dropped. When all streams together hold more than {@code maxBufferedBytes}, the stream holding the
 * most is cut early (ties: the lowest tenant and labels), which depends on the same input only.
 * {@link #finish()} cuts what is left, ordered by tenant and labels. Single-threaded.
 */
final class ChunkCutter {
  /** A cut chunk: one stream's entries, sorted by timestamp, without duplicates; never empty. */
  record Cut(String tenant, Labels labels, List<LogEntry> entries) {}

  private record StreamId(String tenant, Labels labels) {}

  private static final Comparator<StreamId> ORDER =
      Comparator.comparing(StreamId::tenant).thenComparing(StreamId::labels);

  private static final class Pending {
    final List<LogEntry> entries = new ArrayList<>();
    long bytes;
  }

  private final long targetBytes;
  private final long maxBufferedBytes;
  private final Consumer<Cut> sink;
  private final Map<StreamId, Pending> pending = new HashMap<>();
  private long buffered;
  private long duplicates;

  ChunkCutter(long targetBytes, long maxBufferedBytes, Consumer<Cut> sink) {
    if (targetBytes <= 0 || maxBufferedBytes <= 0) {
      throw new IllegalArgumentException("chunk target and buffer sizes must be positive");
    }
    this.targetBytes = targetBytes;
    this.maxBufferedBytes = maxBufferedBytes;
    this.sink = sink;
  }

  /** The size an entry counts for: its line and metadata characters and 8 bytes of timestamp. */
  static long size(LogEntry e) {
    long n = 8 + e.line().length();
    Labels md = e.metadata();
    for (int i = 0; i < md.size(); i++) {
      n += md.name(i).length() + md.value(i).length();
    }
    return n;
  }

  void add(String tenant, Labels labels, LogEntry entry) {
    StreamId id = new StreamId(tenant, labels);
    Pending p = pending.computeIfAbsent(id, k -> new Pending());
    long size = size(entry);
    p.entries.add(entry);
    p.bytes += size;
    buffered += size;
    if (p.bytes >= targetBytes) {
      cut(id);
    }
    while (buffered > maxBufferedBytes) {
      cut(largest());
    }
  }

  /** Cuts every stream's remaining entries, in tenant and labels order. */
  void finish() {
    List<StreamId> ids = new ArrayList<>(pending.keySet());
    ids.sort(ORDER);
    for (StreamId id : ids) {
      cut(id);
    }
  }

  /** Entries dropped so far because an earlier entry of their chunk had the same timestamp and line. */
  long duplicates() {
    return duplicates;
  }

  private StreamId largest() {
    StreamId best = null;
    long bestBytes = -1;
    for (Map.Entry<StreamId, Pending> e : pending.entrySet()) {
      long b = e.getValue().bytes;
      if (b > bestBytes || (b == bestBytes && ORDER.compare(e.getKey(), best) < 0)) {
        best = e.getKey();
        bestBytes = b;
      }
    }
    return best;
  }

  private void cut(StreamId id) {
    Pending p = pending.remove(id);
    buffered -= p.bytes;
    List<LogEntry> sorted = new ArrayList<>(p.entries);
    sorted.sort(Comparator.comparingLong(LogEntry::timestampNanos)); // stable: equal timestamps keep arrival order
    List<LogEntry> kept = new ArrayList<>(sorted.size());
    Set<String> linesAtTs = new HashSet<>();
    long ts = 0;
    for (LogEntry e : sorted) {
      if (kept.isEmpty() || e.timestampNanos() != ts) {
        ts = e.timestampNanos();
        linesAtTs.clear();
      }
      if (linesAtTs.add(e.line())) {
        kept.add(e);
      } else {
        duplicates++;
      }
    }
    sink.accept(new Cut(id.tenant(), id.labels(), kept));
  }
}
