package io.fjord.ingester.flush;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.ingester.chunk.ChunkSettings;
import io.fjord.ingester.chunk.SealReason;
import io.fjord.ingester.chunk.SealedChunk;
import io.fjord.ingester.chunk.StreamKey;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flush encodes at the configured zstd level ({@code ingester.chunk_zstd_level}). */
class ChunkWriterLevelTest {
  private static final Labels LABELS = Labels.of("app", "api");
  private static final int BLOCK = 64 * 1024;

  @Test
  void theChunkIsWhatTheEncoderMakesAtTheConfiguredLevel() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      entries.add(new LogEntry(1_000L * i, "level=info msg=\"served\" path=/api/v1/items/" + (i * 7919 % 1000)
          + " status=" + (i % 5 == 0 ? 500 : 200) + " took=" + (i * 31 % 997) + "ms"));
    }
    byte[] level1 = encodeThroughTheFlush(entries, 1);
    byte[] level19 = encodeThroughTheFlush(entries, 19);

    assertThat(level1).isEqualTo(ChunkEncoder.encode("t", LABELS, entries, ChunkCodec.ZSTD, BLOCK, 1));
    assertThat(level19).isEqualTo(ChunkEncoder.encode("t", LABELS, entries, ChunkCodec.ZSTD, BLOCK, 19));
    assertThat(level19.length).isLessThan(level1.length);
  }

  private static byte[] encodeThroughTheFlush(List<LogEntry> entries, int level) {
    StreamMemory s = new StreamMemory(StreamKey.of("t", LABELS),
        new ChunkSettings(BLOCK, 1 << 24, Duration.ofMinutes(30), Duration.ofHours(2)));
    s.append(entries, 0, 0);
    assertThat(s.sealOpen(SealReason.FORCED)).isTrue();
    SealedChunk chunk = s.takeSealed().get(0);
    return new ChunkWriter(null, null, ChunkCodec.ZSTD, BLOCK, level).encode(chunk).bytes();
  }
}
