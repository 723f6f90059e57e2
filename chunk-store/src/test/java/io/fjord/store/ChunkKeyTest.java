package io.fjord.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkKeyTest {

  @Test
  void layoutIsTenantChunksFingerprintFromThroughChecksum() {
    ChunkKey k = new ChunkKey("fake", 0xd2b371819297f98aL, 0x18e997c544a70000L, 0x18e997d0f0a3c2ffL, 0x0fb97bcc);
    assertThat(k.key()).isEqualTo("fake/chunks/d2b371819297f98a/18e997c544a70000-18e997d0f0a3c2ff-0fb97bcc");
    assertThat(ChunkKey.parse(k.key())).isEqualTo(k);
    assertThat(ChunkKey.tenantPrefix("fake")).isEqualTo("fake/chunks/");
    assertThat(ChunkKey.streamPrefix("fake", 1)).isEqualTo("fake/chunks/0000000000000001/");
    assertThat(k.key()).startsWith(ChunkKey.streamPrefix("fake", 0xd2b371819297f98aL));
  }

  @Test
  void theSameChunkAlwaysGetsTheSameKeyAndAnotherChunkAnother() {
    Labels stream = Labels.of("a", "b"); // fingerprint d2b371819297f98a (FORMATS.md)
    List<LogEntry> entries = List.of(new LogEntry(5, "x"), new LogEntry(9, "y"));
    byte[] first = ChunkEncoder.encode("t", stream, entries, ChunkCodec.SNAPPY, 1024);
    byte[] retried = ChunkEncoder.encode("t", stream, entries, ChunkCodec.SNAPPY, 1024);
    byte[] other = ChunkEncoder.encode("t", stream, List.of(new LogEntry(5, "x"), new LogEntry(9, "z")),
        ChunkCodec.SNAPPY, 1024);
    ChunkKey k1 = ChunkKey.of(ChunkReader.of("1", first).footer(), first);
    ChunkKey k2 = ChunkKey.of(ChunkReader.of("2", retried).footer(), retried);
    ChunkKey k3 = ChunkKey.of(ChunkReader.of("3", other).footer(), other);
    CRC32C crc = new CRC32C();
    crc.update(first);
    assertThat(k1.key()).isEqualTo(String.format("t/chunks/d2b371819297f98a/0000000000000005-0000000000000009-%08x",
        crc.getValue()));
    assertThat(k2).isEqualTo(k1);
    assertThat(k3.key()).isNotEqualTo(k1.key()).startsWith("t/chunks/d2b371819297f98a/0000000000000005-0000000000000009-");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", ".fjord-tmp"})
  void refusesATenantThatCannotBeOneKeySegment(String tenant) {
    assertThatThrownBy(() -> new ChunkKey(tenant, 1, 2, 3, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fake/chunks/xyz/1-2-3", "fake/index/d2b371819297f98a/0000000000000005-0000000000000009-00000000",
      "fake/chunks/d2b371819297f98a/0000000000000009-0000000000000005-00000000", "chunks/d2b371819297f98a"})
  void parseRefusesWhatIsNotAChunkKey(String key) {
    assertThatThrownBy(() -> ChunkKey.parse(key)).isInstanceOf(IllegalArgumentException.class);
  }
}
