package io.fjord.logql.exec;

import io.fjord.schemas.ingester.IngesterProtocol.Sample;
import io.fjord.schemas.ingester.IngesterProtocol.SampleSeries;
import io.fjord.schemas.ingester.IngesterProtocol.SamplesRequest;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the samples of one partition (or another unit of a source's answer) for a samples request, and counts the entries and bytes
 * read for them: one series per tenant and label set, its samples sorted by timestamp; with buckets ({@link SamplesRequest#bucketOf}) the samples
 * of a bucket are summed into one at the bucket's end. Samples arrive stream by stream, each
 * stream in time order, so a series fed by several streams is sorted once at the end.
 * Single-threaded: one instance per partition and request.
 */
public final class SampleCollector {
  private final int partition;
  private final SamplesRequest request;
  private final boolean bucketed;
  private final Map<Key, Builder> series = new LinkedHashMap<>();
  private long entriesScanned;
  private long bytesScanned;

  /** @param partition the partition the series are reported for ({@link SampleSeries#partition}) */
  public SampleCollector(int partition, SamplesRequest request) {
    this.partition = partition;
    this.request = request;
    this.bucketed = request.bucketWidthNanos() > 0;
  }

  private record Key(String tenant, Labels labels) {}

  /** Counts one entry read, before the pipeline, whose line has {@code bytes} bytes. */
  public void scanned(long bytes) {
    entriesScanned++;
    bytesScanned += bytes;
  }

  /** Counts {@code entries} entries read, before the pipeline, whose lines have {@code bytes} bytes together. */
  public void scanned(long entries, long bytes) {
    entriesScanned += entries;
    bytesScanned += bytes;
  }

  /** The partition the series are reported for. */
  public int partition() {
    return partition;
  }

  public long entriesScanned() {
    return entriesScanned;
  }

  public long bytesScanned() {
    return bytesScanned;
  }

  public void add(String tenant, Labels labels, long ts, double value) {
    Builder b = series.computeIfAbsent(new Key(tenant, labels), k -> new Builder());
    b.add(bucketed ? request.bucketOf(ts) : ts, value, bucketed);
  }

  /** The series gathered, sorted by tenant then labels. */
  public List<SampleSeries> series() {
    List<SampleSeries> out = new ArrayList<>(series.size());
    series.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::tenant).thenComparing(Key::labels)))
        .forEach(e -> out.add(new SampleSeries(e.getKey().tenant(), e.getKey().labels().toMap(), partition,
            e.getValue().samples(bucketed))));
    return out;
  }

  /** The samples of one series, appended in stream runs. */
  private static final class Builder {
    private long[] ts = new long[16];
    private double[] vs = new double[16];
    private int size;
    private boolean sorted = true;

    void add(long t, double v, boolean sumEqual) {
      if (size > 0) {
        long last = ts[size - 1];
        if (sumEqual && last == t) {
          vs[size - 1] += v;
          return;
        }
        sorted &= last <= t;
      }
      if (size == ts.length) {
        ts = Arrays.copyOf(ts, size * 2);
        vs = Arrays.copyOf(vs, size * 2);
      }
      ts[size] = t;
      vs[size++] = v;
    }

    List<Sample> samples(boolean sumEqual) {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      if (!sorted) {
        Arrays.sort(order, Comparator.comparingLong(i -> ts[i])); // stable: equal times keep arrival order
      }
      List<Sample> out = new ArrayList<>(size);
      for (Integer i : order) {
        Sample last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (sumEqual && last != null && last.ts() == ts[i]) {
          out.set(out.size() - 1, new Sample(last.ts(), last.value() + vs[i]));
        } else {
          out.add(new Sample(ts[i], vs[i]));
        }
      }
      return out;
    }
  }
}
