package io.fjord.querier.engine;

import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.TenantStream;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import io.fjord.schemas.text.Utf8;

/**
 * Merges the streams that sources returned into one log query answer:
 * <ol>
 *   <li>entries outside {@code start <= ts < end} are dropped;</li>
 *   <li>streams with the same labels (and tenant) are joined, their entries ordered by timestamp in
 *       the query's direction; entries with equal timestamps keep the order the sources gave them
 *       (sources in the order given), which is push order forward and its reverse backward;</li>
 *   <li>duplicates (same stream, same timestamp, same line) are kept once;</li>
 *   <li>the first {@code limit} entries in the direction across all streams are kept; between
 *       streams, equal timestamps go to the stream whose labels sort first;</li>
 *   <li>the streams that kept entries are returned sorted by labels.</li>
 * </ol>
 * With {@code labelTenants} (a query over several tenants) every stream gets the label
 * {@code __tenant_id__}, and streams of different tenants never merge. Pure; stateless.
 */
public final class StreamMerger {
  public static final String TENANT_LABEL = "__tenant_id__";

  private StreamMerger() {}

  /** What the merge kept, and the counts the query statistics report. */
  public record Merged(List<ResultStream> streams, long linesIn, long bytesIn, long duplicates, long entriesOut) {}

  public static Merged merge(List<TenantStream> input, boolean labelTenants, long startNanos, long endNanos, int limit,
      Direction direction) {
    Comparator<Entry> order = direction == Direction.FORWARD
        ? Comparator.comparingLong(Entry::tsNanos)
        : Comparator.comparingLong(Entry::tsNanos).reversed();

    // 1-2: group by stream identity, sorted by labels so that the result and tie-breaks are deterministic
    Map<Labels, List<Entry>> groups = new TreeMap<>();
    long linesIn = 0;
    long bytesIn = 0;
    for (TenantStream s : input) {
      Labels key = labelTenants ? s.labels().merge(Labels.of(TENANT_LABEL, s.tenant())) : s.labels();
      List<Entry> group = groups.computeIfAbsent(key, k -> new ArrayList<>());
      for (Entry e : s.entries()) {
        linesIn++;
        bytesIn += Utf8.length(e.line());
        if (e.tsNanos() >= startNanos && e.tsNanos() < endNanos) {
          group.add(e);
        }
      }
    }

    // 2-3: order each stream (stable: equal timestamps keep source order) and drop duplicates
    List<Labels> labels = new ArrayList<>(groups.size());
    List<List<Entry>> streams = new ArrayList<>(groups.size());
    long duplicates = 0;
    for (Map.Entry<Labels, List<Entry>> g : groups.entrySet()) {
      List<Entry> entries = g.getValue();
      entries.sort(order);
      List<Entry> unique = dedup(entries);
      duplicates += entries.size() - unique.size();
      if (!unique.isEmpty()) {
        labels.add(g.getKey());
        streams.add(unique);
      }
    }

    // 4: the first `limit` entries across streams, by a k-way merge of the ordered streams
    List<List<Entry>> kept = new ArrayList<>(streams.size());
    for (int i = 0; i < streams.size(); i++) {
      kept.add(new ArrayList<>());
    }
    PriorityQueue<int[]> heads = new PriorityQueue<>((a, b) -> {
      int c = order.compare(streams.get(a[0]).get(a[1]), streams.get(b[0]).get(b[1]));
      return c != 0 ? c : Integer.compare(a[0], b[0]);
    });
    for (int i = 0; i < streams.size(); i++) {
      heads.add(new int[] {i, 0});
    }
    long taken = 0;
    while (taken < limit && !heads.isEmpty()) {
      int[] head = heads.poll();
      kept.get(head[0]).add(streams.get(head[0]).get(head[1]));
      taken++;
      if (head[1] + 1 < streams.get(head[0]).size()) {
        heads.add(new int[] {head[0], head[1] + 1});
      }
    }

    // 5: streams that kept entries, in labels order
    List<ResultStream> out = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      if (!kept.get(i).isEmpty()) {
        out.add(new ResultStream(labels.get(i), kept.get(i)));
      }
    }
    return new Merged(out, linesIn, bytesIn, duplicates, taken);
  }

  /** Keeps the first of entries with equal timestamp and line; {@code sorted} is ordered by timestamp. */
  private static List<Entry> dedup(List<Entry> sorted) {
    List<Entry> out = new ArrayList<>(sorted.size());
    Set<String> linesAtTs = new HashSet<>();
    long ts = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Entry e = sorted.get(i);
      if (i == 0 || e.tsNanos() != ts) {
        ts = e.tsNanos();
        linesAtTs.clear();
      }
      if (linesAtTs.add(e.line())) {
        out.add(e);
      }
    }
    return out;
  }
}
