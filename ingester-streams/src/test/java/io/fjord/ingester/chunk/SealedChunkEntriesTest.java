package io.fjord.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.exec.EntryIterator;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SealedChunk#forEachEntry} hands out what {@link SealedChunk#entries()} walks, as bytes. */
class SealedChunkEntriesTest {
  /** Blocks cut at 30 line bytes: four nine-byte lines each. */
  private static final ChunkSettings SMALL_BLOCKS =
      new ChunkSettings(30, 1 << 20, Duration.ofMinutes(30), Duration.ofHours(2));

  private static SealedChunk sealAfter(List<LogEntry> entries) {
    StreamMemory s = new StreamMemory(StreamKey.of("t", Labels.of("app", "a")), SMALL_BLOCKS);
    for (int i = 0; i < entries.size(); i++) {
      s.append(List.of(entries.get(i)), i, 0);
    }
    s.sealOpen(SealReason.FORCED);
    return s.takeSealed().get(0);
  }

  private static List<String> viaBytes(SealedChunk c) {
    List<String> out = new ArrayList<>();
    c.forEachEntry((ts, line, off, len, md) ->
        out.add(ts + ":" + new String(line, off, len, StandardCharsets.UTF_8) + md));
    return out;
  }

  private static List<String> viaMerge(SealedChunk c) {
    List<String> out = new ArrayList<>();
    EntryIterator it = c.entries();
    while (it.next()) {
      out.add(it.ts() + ":" + it.line() + it.metadata());
    }
    return out;
  }

  @Test
  void blocksInTimeOrderAreReadOneAfterTheOther() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(new LogEntry(i, String.format("l\u00e9ne-%04d", i), i == 4 ? Labels.of("k", "v") : Labels.EMPTY));
    } // ten-byte lines: three blocks of three, the last line in the head until the seal cuts it
    SealedChunk c = sealAfter(entries);
    assertThat(viaBytes(c)).hasSize(10).startsWith("0:l\u00e9ne-0000{}").contains("4:l\u00e9ne-0004{k=\"v\"}")
        .isEqualTo(viaMerge(c));
  }

  /** Out-of-order entries make blocks that overlap in time: the bytes come in the merge's order. */
  @Test
  void overlappingBlocksComeInTimestampOrder() {
    long[] ts = {10, 20, 30, 15, 25, 35, 5, 40, 40};
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < ts.length; i++) {
      entries.add(new LogEntry(ts[i], String.format("line-%04d", i)));
    }
    SealedChunk c = sealAfter(entries);
    assertThat(viaBytes(c)).containsExactly("5:line-0006{}", "10:line-0000{}", "15:line-0003{}", "20:line-0001{}",
        "25:line-0004{}", "30:line-0002{}", "35:line-0005{}", "40:line-0007{}", "40:line-0008{}");
    assertThat(viaBytes(c)).isEqualTo(viaMerge(c));
  }

  /** Equal timestamps across a block boundary keep their arrival order. */
  @Test
  void anEqualTimestampAcrossABlockBoundaryKeepsArrivalOrder() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // ts 0 1 2 3 | 3 4: the second block starts with the first block's last timestamp
      entries.add(new LogEntry(i < 4 ? i : i - 1, String.format("line-%04d", i)));
    }
    SealedChunk c = sealAfter(entries);
    assertThat(viaBytes(c)).containsExactly("0:line-0000{}", "1:line-0001{}", "2:line-0002{}", "3:line-0003{}",
        "3:line-0004{}", "4:line-0005{}");
  }
}
