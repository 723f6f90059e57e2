package io.fjord.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.labels.Fingerprint;
import io.fjord.schemas.labels.Labels;
import io.fjord.store.ChunkKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Index object format v1: the documented bytes, round trips of random sets, and every corruption refused. */
class IndexObjectFormatTest {
  /**
   * Tenant "t", one chunk of stream {a="b"} from 1 through 3, checksum 0a0b0c0d, 100 bytes, 2
   * entries. The fingerprint (FNV-1a of "a" ff "b" ff) and the CRC32C were worked out by hand with a
   * separate script; the bytes are the ones in schemas/FORMATS.md.
   */
  static final String GOLDEN = "464a4958" + "01" + "0174" // magic, version 1, tenant "t"
      + "01" + "d2b371819297f98a" + "01" + "0161" + "0162" // 1 stream: fingerprint, 1 label a="b"
      + "01" + "00" + "0000000000000001" + "0000000000000003" // 1 chunk: stream 0, from 1, through 3
      + "0a0b0c0d" + "64" + "02" // checksum, 100 bytes, 2 entries
      + "6ad24689"; // crc32c

  private static final Labels AB = Labels.of("a", "b");

  private static ChunkRef ref(String tenant, Labels labels, long from, long through, int crc, long bytes, int entries) {
    return new ChunkRef(new ChunkKey(tenant, Fingerprint.of(labels), from, through, crc), labels, bytes, entries);
  }

  @Test
  void encodesTheDocumentedGoldenBytes() {
    byte[] bytes = IndexObjectFormat.encode("t", List.of(ref("t", AB, 1, 3, 0x0a0b0c0d, 100, 2)));
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(GOLDEN);
    assertThat(bytes).hasSize(49);
  }

  @Test
  void decodesTheGoldenBytesBackToTheChunkAndItsKey() {
    List<ChunkRef> refs = IndexObjectFormat.decode("golden", "t", HexFormat.of().parseHex(GOLDEN));
    assertThat(refs).containsExactly(ref("t", AB, 1, 3, 0x0a0b0c0d, 100, 2));
    assertThat(refs.get(0).key()).isEqualTo("t/chunks/d2b371819297f98a/0000000000000001-0000000000000003-0a0b0c0d");
  }

  @Test
  void theBytesDoNotDependOnInputOrderAndAChunkIsWrittenOnce() {
    Labels other = Labels.of("app", "api", "env", "prod");
    List<ChunkRef> refs = new ArrayList<>(List.of(ref("t", AB, 5, 9, 1, 10, 1), ref("t", other, 1, 2, 2, 20, 2),
        ref("t", AB, 1, 9, 3, 30, 3), ref("t", AB, 5, 9, 1, 10, 1)));
    byte[] a = IndexObjectFormat.encode("t", refs);
    Collections.reverse(refs);
    byte[] b = IndexObjectFormat.encode("t", refs);
    assertThat(a).isEqualTo(b);
    assertThat(IndexObjectFormat.decode("x", "t", a)).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void refusesToEncodeAnotherTenantsChunk() {
    assertThatThrownBy(() -> IndexObjectFormat.encode("t", List.of(ref("u", AB, 1, 2, 0, 1, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not of tenant t");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void randomSetsReadBackExactly(long seed) {
    Random r = new Random(seed);
    List<Labels> streams = new ArrayList<>();
    int streamCount = 1 + r.nextInt(20);
    for (int s = 0; s < streamCount; s++) {
      int n = r.nextInt(5);
      List<String[]> pairs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        pairs.add(new String[] {"n" + i + randomText(r, 3), randomText(r, 12)});
      }
      streams.add(Labels.ofPairs(pairs));
    }
    Set<ChunkRef> refs = new LinkedHashSet<>();
    int chunks = r.nextInt(300);
    for (int c = 0; c < chunks; c++) {
      long from = r.nextBoolean() ? r.nextLong() >> 1 : r.nextInt(1000) - 500;
      long through = from + (r.nextBoolean() ? 0 : Math.abs(r.nextLong() >> 2));
      refs.add(ref("tenant-" + seed, streams.get(r.nextInt(streamCount)), from, through, r.nextInt(),
          1 + (r.nextLong() >>> 1) % Long.MAX_VALUE, 1 + r.nextInt(Integer.MAX_VALUE)));
    }
    byte[] bytes = IndexObjectFormat.encode("tenant-" + seed, refs);
    assertThat(IndexObjectFormat.decode("k", "tenant-" + seed, bytes)).containsExactlyInAnyOrderElementsOf(refs);
  }

  private static String randomText(Random r, int max) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(4);
      sb.append(switch (kind) {
        case 0 -> (char) ('a' + r.nextInt(26));
        case 1 -> '"';
        case 2 -> 'é';
        default -> "名";
      });
    }
    return sb.toString();
  }

  @Test
  void everySingleByteCorruptionIsRefusedNamingTheObject() {
    byte[] good = HexFormat.of().parseHex(GOLDEN);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      int at = i;
      assertThatThrownBy(() -> IndexObjectFormat.decode("fake/index/1/p-x", "t", bad)).as("byte %d", at)
          .isInstanceOf(IndexFormatException.class).hasMessageStartingWith("chunk index object fake/index/1/p-x: ");
    }
  }

  @Test
  void aBadMagicAnUnknownVersionABadChecksumAndTruncationSayWhichAndWhere() {
    byte[] good = HexFormat.of().parseHex(GOLDEN);
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> IndexObjectFormat.decode("o", "t", magic)).hasMessageContaining("bad magic");
    byte[] v2 = good.clone();
    v2[4] = 2;
    assertThatThrownBy(() -> IndexObjectFormat.decode("o", "t", v2))
        .hasMessage("chunk index object o: unsupported index format version 2 (this reader reads version 1)");
    byte[] crc = good.clone();
    crc[20] ^= 1;
    assertThatThrownBy(() -> IndexObjectFormat.decode("o", "t", crc)).hasMessageContaining("checksum mismatch");
    assertThatThrownBy(() -> IndexObjectFormat.decode("o", "t", java.util.Arrays.copyOf(good, 7)))
        .isInstanceOf(IndexFormatException.class);
    assertThatThrownBy(() -> IndexObjectFormat.decode("o", "t", new byte[0])).hasMessageContaining("too short");
  }

  @Test
  void anObjectOfAnotherTenantIsRefusedEvenWithAValidChecksum() {
    byte[] other = IndexObjectFormat.encode("u", List.of(ref("u", AB, 1, 3, 7, 100, 2)));
    assertThatThrownBy(() -> IndexObjectFormat.decode("t/index/0/p-x", "t", other))
        .isInstanceOf(IndexFormatException.class).hasMessageContaining("holds tenant \"u\"'s chunks");
  }

  @Test
  void aValidChecksumOverNonsenseIsStillRefused() {
    // a chunk whose from is after its through, sealed with a correct CRC: the structure check catches it
    byte[] body = HexFormat.of().parseHex(GOLDEN.substring(0, GOLDEN.length() - 8)
        .replace("0000000000000001" + "0000000000000003", "0000000000000005" + "0000000000000003"));
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(body);
    byte[] bytes = java.nio.ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
    assertThatThrownBy(() -> IndexObjectFormat.decode("o", "t", bytes))
        .isInstanceOf(IndexFormatException.class).hasMessageContaining("chunk 0: chunk from 5 is after its through 3");
  }
}
