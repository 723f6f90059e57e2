package io.fjord.distributor.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordSplitterTest {
  private static final Labels LABELS = Labels.of("app", "api", "env", "prod");

  private static StreamBatch batch(List<LogEntry> entries) {
    return new StreamBatch("tenant-1", LABELS, entries);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "plain ascii line", "héllo wörld", "日本語のログ", "emoji \uD83D\uDE00\uD83D\uDE01",
      "unpaired \uD800 surrogate"})
  void recordSizeIsExactlyTheEncodedSize(String line) {
    List<LogEntry> entries = List.of(new LogEntry(1, line), new LogEntry(2, line, Labels.of("trace_id", "é" + line)));
    StreamBatch batch = new StreamBatch("tenant-é", LABELS, entries);

    assertThat(RecordSize.of(batch.tenant(), batch.labels(), entries, entries.size()))
        .isEqualTo(LogRecordCodec.encodeValue(batch).length);
  }

  @Test
  void aSmallStreamIsOneRecord() {
    StreamBatch batch = batch(List.of(new LogEntry(1, "a"), new LogEntry(2, "b")));
    assertThat(RecordSplitter.split(batch, 16 * 1024)).containsExactly(batch);
  }

  @Test
  void aLargeStreamIsSplitIntoRecordsUnderTheLimitInPushOrder() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      entries.add(new LogEntry(i, "line " + i + " " + "x".repeat(i % 700), i % 3 == 0 ? Labels.of("k", "v" + i) : Labels.EMPTY));
    }
    long limit = 64 * 1024;

    List<StreamBatch> pieces = RecordSplitter.split(batch(entries), limit);

    assertThat(pieces).hasSizeGreaterThan(10);
    List<LogEntry> rejoined = new ArrayList<>();
    for (StreamBatch piece : pieces) {
      assertThat(piece.tenant()).isEqualTo("tenant-1");
      assertThat(piece.labels()).isEqualTo(LABELS);
      assertThat((long) LogRecordCodec.encodeValue(piece).length).isLessThanOrEqualTo(limit);
      rejoined.addAll(piece.entries());
    }
    assertThat(rejoined).isEqualTo(entries);
  }

  @Test
  void piecesAreFilledRatherThanCutEarly() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      entries.add(new LogEntry(i, "y".repeat(1000)));
    }
    long limit = 20 * 1024;

    List<StreamBatch> pieces = RecordSplitter.split(batch(entries), limit);

    // each entry takes ~1011 bytes: 20 fit a 20 KB record, 21 do not
    assertThat(pieces).extracting(p -> p.entries().size()).containsExactly(20, 20, 20, 20, 20);
  }

  @Test
  void anEntryTooLargeForAnyRecordTravelsAlone() {
    List<LogEntry> entries = List.of(new LogEntry(1, "a"), new LogEntry(2, "z".repeat(40_000)), new LogEntry(3, "b"));
    List<StreamBatch> pieces = RecordSplitter.split(batch(entries), 16 * 1024);
    assertThat(pieces).extracting(p -> p.entries().size()).containsExactly(1, 1, 1);
  }
}
