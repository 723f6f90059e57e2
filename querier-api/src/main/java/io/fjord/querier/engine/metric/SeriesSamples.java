package io.fjord.querier.engine.metric;

import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The samples of one series as a range aggregation reads them: labels, then timestamps (Unix
 * nanoseconds, ascending; equal ones allowed) and values, index by index. The arrays are owned by
 * this object once built: do not modify them. Immutable.
 */
public final class SeriesSamples {
  private final Labels labels;
  private final long[] timestamps;
  private final double[] values;

  public SeriesSamples(Labels labels, long[] timestamps, double[] values) {
    Objects.requireNonNull(labels, "labels");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(timestamps.length + " timestamps for " + values.length + " values");
    }
    for (int i = 1; i < timestamps.length; i++) {
      if (timestamps[i] < timestamps[i - 1]) {
        throw new IllegalArgumentException("timestamps of " + labels + " not sorted at index " + i);
      }
    }
    this.labels = labels;
    this.timestamps = timestamps;
    this.values = values;
  }

  public Labels labels() {
    return labels;
  }

  public int size() {
    return timestamps.length;
  }

  public long timestamp(int i) {
    return timestamps[i];
  }

  public double value(int i) {
    return values[i];
  }

  /**
   * One series from parts with the same labels, each sorted by timestamp (parts from several
   * ingesters, partitions or tenants): their samples merged by timestamp, equal timestamps in the
   * order of the parts.
   */
  public static SeriesSamples merge(Labels labels, List<SeriesSamples> parts) {
    if (parts.size() == 1) {
      SeriesSamples only = parts.get(0);
      return only.labels.equals(labels) ? only : new SeriesSamples(labels, only.timestamps, only.values);
    }
    List<SeriesSamples> round = new ArrayList<>(parts);
    while (round.size() > 1) {
      List<SeriesSamples> next = new ArrayList<>((round.size() + 1) / 2);
      for (int i = 0; i + 1 < round.size(); i += 2) {
        next.add(mergeTwo(labels, round.get(i), round.get(i + 1)));
      }
      if (round.size() % 2 == 1) {
        next.add(round.get(round.size() - 1));
      }
      round = next;
    }
    return round.isEmpty() ? new SeriesSamples(labels, new long[0], new double[0])
        : new SeriesSamples(labels, round.get(0).timestamps, round.get(0).values);
  }

  private static SeriesSamples mergeTwo(Labels labels, SeriesSamples a, SeriesSamples b) {
    int n = a.size() + b.size();
    long[] ts = new long[n];
    double[] vs = new double[n];
    int i = 0;
    int j = 0;
    for (int k = 0; k < n; k++) {
      if (j >= b.size() || (i < a.size() && a.timestamps[i] <= b.timestamps[j])) {
        ts[k] = a.timestamps[i];
        vs[k] = a.values[i++];
      } else {
        ts[k] = b.timestamps[j];
        vs[k] = b.values[j++];
      }
    }
    return new SeriesSamples(labels, ts, vs);
  }
}
