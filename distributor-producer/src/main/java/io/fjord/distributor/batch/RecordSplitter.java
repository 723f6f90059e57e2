package io.fjord.distributor.batch;

import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.StreamBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one stream's entries of a push into consecutive batches whose encoded record value is at
 * most {@code maxRecordBytes}, keeping push order, so that no record exceeds Kafka's request size.
 * All the pieces share the stream's key, hence its partition, so their order survives in Kafka.
 * An entry too large for any record (validation rejects those first) gets a batch of its own.
 * Stateless.
 */
public final class RecordSplitter {
  private RecordSplitter() {}

  public static List<StreamBatch> split(StreamBatch batch, long maxRecordBytes) {
    List<LogEntry> entries = batch.entries();
    long budget = maxRecordBytes - RecordSize.fixed(batch.tenant(), batch.labels()) - RecordSize.MAX_COUNT_BYTES;
    if (upperBound(entries) <= budget) {
      return List.of(batch);
    }
    List<StreamBatch> out = new ArrayList<>();
    int start = 0;
    long size = 0;
    for (int i = 0; i < entries.size(); i++) {
      long entry = RecordSize.entry(entries.get(i));
      if (i > start && size + entry > budget) {
        out.add(new StreamBatch(batch.tenant(), batch.labels(), entries.subList(start, i)));
        start = i;
        size = 0;
      }
      size += entry;
    }
    out.add(new StreamBatch(batch.tenant(), batch.labels(), entries.subList(start, entries.size())));
    return out;
  }

  /** A cheap bound on the entries' size from char counts alone (a char is at most 3 UTF-8 bytes). */
  private static long upperBound(List<LogEntry> entries) {
    long size = 0;
    for (LogEntry e : entries) {
      long line = 3L * e.line().length();
      size += 8 + RecordSize.uvarintLength(line) + line + (e.metadata().isEmpty() ? 1 : RecordSize.entry(0, e.metadata()));
    }
    return size;
  }
}
