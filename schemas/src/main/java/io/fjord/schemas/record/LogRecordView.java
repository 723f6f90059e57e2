package io.fjord.schemas.record;

import io.fjord.schemas.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A decoded logs-topic record value whose lines stay where they are in the value's bytes: per
 * entry a timestamp, a slice (array, offset, length) of UTF-8 and the metadata. The ingester stores
 * lines as UTF-8, so reading them through {@link LogRecordCodec#decodeView} saves decoding each
 * line into a {@code String} and encoding it back. The bytes of a line are exactly those of
 * {@code LogRecordCodec.decodeValue(value)}'s line encoded as UTF-8: a line that is not valid UTF-8
 * (a Kafka-native producer's) is replaced by that re-encoding, with U+FFFD for each bad sequence.
 * Immutable once built (it does not copy the value: its owner must not change it); safe to share.
 */
public final class LogRecordView {
  private final String tenant;
  private final Labels labels;
  private final int size;
  private final long[] ts;
  private final byte[][] arrays;
  private final int[] offsets;
  private final int[] lengths;
  /** Null when no entry carries metadata. */
  private final Labels[] metadata;

  LogRecordView(String tenant, Labels labels, int size, long[] ts, byte[][] arrays, int[] offsets, int[] lengths,
      Labels[] metadata) {
    this.tenant = tenant;
    this.labels = labels;
    this.size = size;
    this.ts = ts;
    this.arrays = arrays;
    this.offsets = offsets;
    this.lengths = lengths;
    this.metadata = metadata;
  }

  /** A view of entries held as strings (tests and callers that have no record bytes): encodes each line once. */
  public static LogRecordView of(String tenant, Labels labels, List<LogEntry> entries) {
    int n = entries.size();
    long[] ts = new long[n];
    byte[][] arrays = new byte[n][];
    int[] offsets = new int[n];
    int[] lengths = new int[n];
    Labels[] md = null;
    for (int i = 0; i < n; i++) {
      LogEntry e = entries.get(i);
      ts[i] = e.timestampNanos();
      arrays[i] = e.line().getBytes(StandardCharsets.UTF_8);
      lengths[i] = arrays[i].length;
      if (!e.metadata().isEmpty()) {
        if (md == null) {
          md = new Labels[n];
          java.util.Arrays.fill(md, Labels.EMPTY);
        }
        md[i] = e.metadata();
      }
    }
    return new LogRecordView(tenant, labels, n, ts, arrays, offsets, lengths, md);
  }

  public String tenant() {
    return tenant;
  }

  public Labels labels() {
    return labels;
  }

  /** The number of entries. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public long timestampNanos(int i) {
    return ts[i];
  }

  /** The array holding line {@code i}'s UTF-8 bytes, at {@link #lineOffset} for {@link #lineLength}. */
  public byte[] lineArray(int i) {
    return arrays[i];
  }

  public int lineOffset(int i) {
    return offsets[i];
  }

  /** The UTF-8 length of line {@code i}. */
  public int lineLength(int i) {
    return lengths[i];
  }

  /** Line {@code i} as a string (decoded on each call: for rare paths). */
  public String line(int i) {
    return new String(arrays[i], offsets[i], lengths[i], StandardCharsets.UTF_8);
  }

  public Labels metadata(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return metadata == null ? Labels.EMPTY : metadata[i];
  }

  /** The same record as a {@link StreamBatch} of strings. */
  public StreamBatch toBatch() {
    LogEntry[] entries = new LogEntry[size];
    for (int i = 0; i < size; i++) {
      entries[i] = new LogEntry(ts[i], line(i), metadata(i));
    }
    return new StreamBatch(tenant, labels, List.of(entries));
  }
}
