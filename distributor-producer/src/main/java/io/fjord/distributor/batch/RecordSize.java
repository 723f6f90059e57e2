package io.fjord.distributor.batch;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.text.Utf8;

/**
 * The exact size of a logs-topic record value as {@code LogRecordCodec} (format v1) encodes it,
 * computed without encoding: a 4-byte header, the tenant, the labels, the entry count, the
 * entries, a 4-byte CRC; strings are a uvarint length and UTF-8 bytes. Lets the distributor split
 * a stream into records that each fit Kafka's request size, and reject an entry that cannot fit
 * any record. Stateless.
 */
public final class RecordSize {
  /** magic "FJ", version, flags + CRC32C */
  private static final int FRAME = 4 + 4;
  /** the most bytes the entry-count uvarint can take for any int */
  public static final int MAX_COUNT_BYTES = 5;

  private RecordSize() {}

  /** Bytes of a record of {@code tenant}/{@code labels} apart from its entries and entry count. */
  public static long fixed(String tenant, Labels labels) {
    return FRAME + str(tenant) + labels(labels);
  }

  /** Bytes one entry takes in a record. */
  public static long entry(LogEntry e) {
    return entry(Utf8.length(e.line()), e.metadata());
  }

  /** Bytes one entry with a line of {@code lineBytes} UTF-8 bytes and this metadata takes. */
  public static long entry(long lineBytes, Labels metadata) {
    return 8 + uvarintLength(lineBytes) + lineBytes + labels(metadata);
  }

  /** The encoded size of the whole value. */
  public static long of(String tenant, Labels labels, Iterable<LogEntry> entries, int count) {
    long size = fixed(tenant, labels) + uvarintLength(count);
    for (LogEntry e : entries) {
      size += entry(e);
    }
    return size;
  }

  private static long labels(Labels labels) {
    long size = uvarintLength(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      size += str(labels.name(i)) + str(labels.value(i));
    }
    return size;
  }

  private static long str(String s) {
    long n = Utf8.length(s);
    return uvarintLength(n) + n;
  }

  static int uvarintLength(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }
}
