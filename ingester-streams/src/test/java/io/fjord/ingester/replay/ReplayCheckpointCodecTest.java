package io.fjord.ingester.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.ingester.replay.ReplayCheckpoint.StreamId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayCheckpointCodecTest {
  /** The example of schemas/FORMATS.md ("Replay checkpoint"), its CRC32C worked out apart from the code. */
  static final String GOLDEN = "464a5243" + "01" + "00000003" + "00000000000003e8" + "0000018bcfe56800" + "00000001"
      + "0001" + "74" + "0123456789abcdef" + "00000000000004b0" + "496c7595";

  static final ReplayCheckpoint EXAMPLE = new ReplayCheckpoint(3, 1000, 1_700_000_000_000L,
      Map.of(new StreamId("t", 0x0123456789abcdefL), 1200L));

  @Test
  void encodesTheDocumentedExampleByteForByte() {
    assertThat(HexFormat.of().formatHex(ReplayCheckpointCodec.encode(EXAMPLE))).isEqualTo(GOLDEN);
  }

  @Test
  void decodesTheDocumentedExample() {
    assertThat(ReplayCheckpointCodec.decode("golden", HexFormat.of().parseHex(GOLDEN))).isEqualTo(EXAMPLE);
  }

  @Test
  void roundTripsRandomCheckpointsAndEqualOnesEncodeEqually() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      Map<StreamId, Long> streams = new LinkedHashMap<>();
      int n = random.nextInt(20);
      for (int i = 0; i < n; i++) {
        String tenant = random.nextBoolean() ? "tenant-" + random.nextInt(5) : "tènant-ü-" + random.nextInt(3);
        streams.put(new StreamId(tenant, random.nextLong()), (long) random.nextInt(1_000_000));
      }
      ReplayCheckpoint c = new ReplayCheckpoint(random.nextInt(64), random.nextInt(1_000_000),
          random.nextLong() & Long.MAX_VALUE, streams);
      byte[] bytes = ReplayCheckpointCodec.encode(c);

      assertThat(ReplayCheckpointCodec.decode("random", bytes)).isEqualTo(c);
      assertThat(ReplayCheckpointCodec.encode(new ReplayCheckpoint(c.partition(), c.replayFrom(), c.writtenAtMillis(),
          new java.util.TreeMap<>(streams).descendingMap()))).isEqualTo(bytes);
    }
  }

  @Test
  void refusesAnotherVersionABadChecksumATruncationAndAnotherObject() {
    byte[] good = HexFormat.of().parseHex(GOLDEN);
    byte[] version = good.clone();
    version[4] = 2;
    byte[] flipped = good.clone();
    flipped[20] ^= 1;
    byte[] truncated = Arrays.copyOf(good, good.length - 5);
    byte[] magic = good.clone();
    magic[0] = 'X';

    assertThatThrownBy(() -> ReplayCheckpointCodec.decode("k", version)).isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("k").hasMessageContaining("unsupported version 2");
    assertThatThrownBy(() -> ReplayCheckpointCodec.decode("k", flipped)).hasMessageContaining("checksum");
    assertThatThrownBy(() -> ReplayCheckpointCodec.decode("k", truncated)).isInstanceOf(CheckpointFormatException.class);
    assertThatThrownBy(() -> ReplayCheckpointCodec.decode("k", magic)).hasMessageContaining("magic");
    assertThatThrownBy(() -> ReplayCheckpointCodec.decode("k", new byte[3])).hasMessageContaining("too short");
  }

  @Test
  void saysWhichRecordsAreFlushed() {
    // replay from 1000; stream (t, 0x0123...) flushed through 1200
    assertThat(EXAMPLE.flushed("t", 0x0123456789abcdefL, 999)).isTrue();
    assertThat(EXAMPLE.flushed("t", 0x0123456789abcdefL, 1200)).isTrue();
    assertThat(EXAMPLE.flushed("t", 0x0123456789abcdefL, 1201)).isFalse();
    assertThat(EXAMPLE.flushed("t", 42, 1000)).isFalse();
    assertThat(EXAMPLE.flushed("other", 0x0123456789abcdefL, 1100)).isFalse();
    assertThat(ReplayCheckpoint.none(3).flushed("t", 1, 0)).isFalse();
  }
}
