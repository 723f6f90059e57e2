package io.fjord.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.store.ChunkKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Retention markers: the documented text, its key, and every marker a compactor must not act on. */
class RetentionMarkersTest {
  private static final ChunkKey A = new ChunkKey("fake", 0xd2b371819297f98aL, 1, 3, 0x0a0b0c0d);
  private static final ChunkKey B = new ChunkKey("fake", 0x10L, 5, 9, -1);

  @Test
  void encodesTheDocumentedText() {
    String text = new String(RetentionMarkers.encode(List.of(A, B)), StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("fjord-retention-marker 1\n"
        + "fake/chunks/d2b371819297f98a/0000000000000001-0000000000000003-0a0b0c0d\n"
        + "fake/chunks/0000000000000010/0000000000000005-0000000000000009-ffffffff\n"
        + "end 2\n");
    assertThat(RetentionMarkers.decode("m", "fake", text.getBytes(StandardCharsets.UTF_8))).containsExactly(A, B);
    assertThat(RetentionMarkers.decode("m", "fake", RetentionMarkers.encode(List.of()))).isEmpty();
  }

  @Test
  void keysCarryTheirDeleteTimeAndAreNeitherChunkNorIndexKeys() {
    String key = RetentionMarkers.newKey("fake", 0x19ab1c2d3e4L, 0x5f0e1d2c3b4a6978L);
    assertThat(key).isEqualTo("fake/retention/0000019ab1c2d3e4-5f0e1d2c3b4a6978");
    assertThat(RetentionMarkers.parse("fake", key)).hasValueSatisfying(m ->
        assertThat(m.deleteAfterMillis()).isEqualTo(0x19ab1c2d3e4L));
    assertThat(RetentionMarkers.parse("other", key)).isEmpty();
    assertThat(RetentionMarkers.parse("fake", "fake/retention/x")).isEmpty();
    assertThat(IndexKeys.parse(key)).isEmpty();
    assertThatThrownBy(() -> ChunkKey.parse(key)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "fjord-retention-marker 2\nend 0\n",
      "fjord-retention-marker 1\n",
      "fjord-retention-marker 1\nfake/chunks/0000000000000010/0000000000000005-0000000000000009-ffffffff\n",
      "fjord-retention-marker 1\nfake/chunks/0000000000000010/0000000000000005-0000000000000009-ffffffff\nend 2\n",
      "fjord-retention-marker 1\nfake/chunks/0000000000000010/0000000000000005-0000000000000009-ffffffff\nend 1",
      "fjord-retention-marker 1\nfake/index/20780/p-0000019ab1c2d3e4-5f0e1d2c3b4a6978\nend 1\n",
      "fjord-retention-marker 1\nother/chunks/0000000000000010/0000000000000005-0000000000000009-ffffffff\nend 1\n",
  })
  void aMarkerThatIsNotWholeOrNamesAnythingButTheTenantsChunksIsRefused(String text) {
    assertThatThrownBy(() -> RetentionMarkers.decode("fake/retention/m", "fake", text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IndexFormatException.class).hasMessageStartingWith("chunk index object fake/retention/m: ");
  }
}
