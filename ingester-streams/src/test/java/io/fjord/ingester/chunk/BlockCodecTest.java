package io.fjord.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockCodecTest {

  @Test
  void roundTripsEntriesWithMetadataAndUnicode() {
    List<LogEntry> entries = List.of(
        new LogEntry(1_000, "plain"),
        new LogEntry(1_000, "same ts, second", Labels.of("trace_id", "abc", "span", "1")),
        new LogEntry(2_500, "héllo ✓ 🎉"),
        new LogEntry(9_000_000_000_000_000_000L, ""));

    EntryRun run = BlockCodec.encode(entries).decode();

    assertThat(run.size()).isEqualTo(4);
    List<LogEntry> back = new ArrayList<>();
    for (int i = 0; i < run.size(); i++) {
      back.add(new LogEntry(run.ts(i), run.line(i), run.metadata(i)));
    }
    assertThat(back).containsExactlyElementsOf(entries);
  }

  /**
   * The encoder reuses its buffers from block to block on a thread: each block keeps its own bytes,
   * whether the next one is larger (the buffers grow), smaller, or outgrows its size estimate
   * through metadata.
   */
  @Test
  void blocksEncodedOneAfterAnotherKeepTheirOwnEntries() {
    List<List<LogEntry>> runs = new ArrayList<>();
    for (int size : new int[] {2_000, 10, 5_000, 3}) {
      List<LogEntry> entries = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        Labels md = size == 3 ? Labels.of("k", "v".repeat(5_000 + i)) : Labels.EMPTY;
        entries.add(new LogEntry(i, "run " + size + " line " + i, md));
      }
      runs.add(entries);
    }
    List<Block> blocks = runs.stream().map(BlockCodec::encode).toList();
    for (int b = 0; b < blocks.size(); b++) {
      EntryRun run = blocks.get(b).decode();
      List<LogEntry> back = new ArrayList<>();
      for (int i = 0; i < run.size(); i++) {
        back.add(new LogEntry(run.ts(i), run.line(i), run.metadata(i)));
      }
      assertThat(back).as("block %d", b).containsExactlyElementsOf(runs.get(b));
    }
  }

  @Test
  void blockKnowsItsBoundsCountAndLineBytes() {
    // "héllo" is 6 UTF-8 bytes, "ab" 2, "🎉" 4
    Block b = BlockCodec.encode(List.of(new LogEntry(-5, "héllo"), new LogEntry(7, "ab"), new LogEntry(40, "🎉")));

    assertThat(b.minTs()).isEqualTo(-5);
    assertThat(b.maxTs()).isEqualTo(40);
    assertThat(b.entries()).isEqualTo(3);
    assertThat(b.lineBytes()).isEqualTo(12);
  }

  @Test
  void handlesTheWholeTimestampRange() {
    List<LogEntry> entries = List.of(new LogEntry(Long.MIN_VALUE, "a"), new LogEntry(0, "b"),
        new LogEntry(Long.MAX_VALUE, "c"));

    EntryRun run = BlockCodec.encode(entries).decode();

    assertThat(new long[] {run.ts(0), run.ts(1), run.ts(2)}).containsExactly(Long.MIN_VALUE, 0, Long.MAX_VALUE);
  }

  @Test
  void compressesRepetitiveLines() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      entries.add(new LogEntry(i, "GET /api/v1/users 200 level=info msg=\"request served\""));
    }
    Block b = BlockCodec.encode(entries);

    assertThat(b.compressedSize()).isLessThan((int) b.lineBytes() / 5);
  }

  @Test
  void rejectsUnsortedOrEmptyInput() {
    assertThatThrownBy(() -> BlockCodec.encode(List.of(new LogEntry(2, "a"), new LogEntry(1, "b"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sorted");
    assertThatThrownBy(() -> BlockCodec.encode(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void overlapUsesHalfOpenRanges() {
    Block b = BlockCodec.encode(List.of(new LogEntry(10, "a"), new LogEntry(20, "b")));

    assertThat(b.overlaps(0, 10)).isFalse();
    assertThat(b.overlaps(0, 11)).isTrue();
    assertThat(b.overlaps(20, 30)).isTrue();
    assertThat(b.overlaps(21, 30)).isFalse();
  }
}
