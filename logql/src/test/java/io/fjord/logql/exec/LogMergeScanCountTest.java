package io.fjord.logql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.eval.LogPipeline;
import io.fjord.schemas.ingester.IngesterProtocol.StreamResult;
import io.fjord.schemas.labels.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a log merge counts as read ("lines/bytes processed"): every entry it pulled, before the pipeline. */
class LogMergeScanCountTest {

  @Test
  void countsEveryEntryReadIncludingThoseTheFilterDrops() {
    // stream a: "é error" is 8 UTF-8 bytes (é is 2), "ok" 2; stream b: "error 1" 7, "fine" 4
    LogMerge merge = merge("{app=\"x\"} |= \"error\"", true);
    merge.add("t", Labels.of(Map.of("app", "a")), new ListIterator(List.of(1L, 3L), List.of("é error", "ok"), 0, 0));
    merge.add("t", Labels.of(Map.of("app", "b")), new ListIterator(List.of(2L, 4L), List.of("error 1", "fine"), 0, 0));
    List<StreamResult> out = merge.take(100);
    assertThat(out).hasSize(2);
    assertThat(merge.entriesScanned()).isEqualTo(4);
    assertThat(merge.bytesScanned()).isEqualTo(8 + 2 + 7 + 4);
  }

  @Test
  void entriesAnIteratorSkippedCountAsRead() {
    LogMerge merge = merge("{app=\"x\"}", true);
    merge.add("t", Labels.of(Map.of("app", "a")), new ListIterator(List.of(5L), List.of("abc"), 10, 1000));
    merge.take(100);
    assertThat(merge.entriesScanned()).isEqualTo(1 + 10);
    assertThat(merge.bytesScanned()).isEqualTo(3 + 1000);
  }

  @Test
  void aLimitStopsTheReadingAndTheCount() {
    LogMerge merge = merge("{app=\"x\"}", true);
    merge.add("t", Labels.of(Map.of("app", "a")),
        new ListIterator(List.of(1L, 2L, 3L, 4L, 5L), List.of("a", "b", "c", "d", "e"), 0, 0));
    merge.take(2);
    // the two taken, and the third the walker stands on, waiting to be taken
    assertThat(merge.entriesScanned()).isEqualTo(3);
    assertThat(merge.bytesScanned()).isEqualTo(3);
  }

  private static LogMerge merge(String query, boolean forward) {
    return new LogMerge(LogPipeline.of((LogSelectorExpr) LogQL.parse(query)), forward);
  }

  /** A stream's entries from lists; {@code skipped*} are what a prefilter would have passed over. */
  private static final class ListIterator implements EntryIterator {
    private final List<Long> ts;
    private final List<String> lines;
    private final long skippedEntries;
    private final long skippedBytes;
    private int at = -1;

    ListIterator(List<Long> ts, List<String> lines, long skippedEntries, long skippedBytes) {
      this.ts = ts;
      this.lines = lines;
      this.skippedEntries = skippedEntries;
      this.skippedBytes = skippedBytes;
    }

    @Override
    public boolean next() {
      return ++at < ts.size();
    }

    @Override
    public long ts() {
      return ts.get(at);
    }

    @Override
    public String line() {
      return lines.get(at);
    }

    @Override
    public Labels metadata() {
      return Labels.EMPTY;
    }

    @Override
    public long skippedEntries() {
      return skippedEntries;
    }

    @Override
    public long skippedBytes() {
      return skippedBytes;
    }
  }
}
