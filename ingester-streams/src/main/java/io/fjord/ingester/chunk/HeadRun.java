package io.fjord.ingester.chunk;

import io.fjord.logql.eval.LinePrefilter;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of (part of) a head: entries sorted by timestamp, in parallel arrays, the lines as UTF-8
 * bytes ({@link Head}) that become strings only when read, as in a {@link DecodedBlock}. Immutable
 * in content (it never writes its arrays; the byte array it may share with a head is only ever
 * appended to past the bytes it reads); the decoded lines are cached racily, which is safe because
 * each is the same immutable string whichever thread makes it.
 */
final class HeadRun implements EntryRun {
  static final HeadRun EMPTY = new HeadRun(new long[0], new byte[0], new int[0], new int[0], null);
  private final long[] ts;
  private final byte[] bytes;
  private final int[] starts;
  private final int[] lengths;
  /** Null when no entry carries metadata. */
  private final Labels[] metadata;
  private final String[] lines;

  /** Over the first {@code ts.length} entries of the arrays (which may be longer). */
  HeadRun(long[] ts, byte[] bytes, int[] starts, int[] lengths, Labels[] metadata) {
    this.ts = ts;
    this.bytes = bytes;
    this.starts = starts;
    this.lengths = lengths;
    this.metadata = metadata;
    this.lines = new String[ts.length];
  }

  /** A run of {@code entries}, which must be sorted by timestamp (tests, and encoding entry lists). */
  static HeadRun of(List<LogEntry> entries) {
    Head h = new Head(entries.size(), 0);
    for (LogEntry e : entries) {
      h.insert(h.size(), e.timestampNanos(), e.line().getBytes(StandardCharsets.UTF_8), e.metadata());
    }
    return h.detach();
  }

  HeadRun(LogEntry[] entries) {
    this(of(List.of(entries)));
  }

  private HeadRun(HeadRun r) {
    this(r.ts, r.bytes, r.starts, r.lengths, r.metadata);
  }

  /** The runs one after another (a stream has at most one head; this covers more). */
  static HeadRun concat(List<HeadRun> runs) {
    if (runs.size() == 1) {
      return runs.get(0);
    }
    List<LogEntry> all = new ArrayList<>();
    for (HeadRun r : runs) {
      for (int i = 0; i < r.size(); i++) {
        all.add(new LogEntry(r.ts(i), r.line(i), r.metadata(i)));
      }
    }
    return all.isEmpty() ? EMPTY : of(all);
  }

  @Override
  public int size() {
    return ts.length;
  }

  @Override
  public long ts(int i) {
    return ts[i];
  }

  @Override
  public String line(int i) {
    String l = lines[i];
    if (l == null) {
      l = new String(bytes, starts[i], lengths[i], StandardCharsets.UTF_8);
      lines[i] = l;
    }
    return l;
  }

  @Override
  public Labels metadata(int i) {
    return metadata == null ? Labels.EMPTY : metadata[i];
  }

  @Override
  public long lineBytes(int i) {
    return lengths[i];
  }

  @Override
  public boolean mayKeep(int i, LinePrefilter prefilter) {
    return prefilter.mayKeep(bytes, starts[i], lengths[i]);
  }

  /** The line's bytes are {@code lineArray()[lineStart(i), lineStart(i) + lineBytes(i))}. */
  byte[] lineArray() {
    return bytes;
  }

  int lineStart(int i) {
    return starts[i];
  }

  boolean hasMetadata() {
    return metadata != null;
  }
}
