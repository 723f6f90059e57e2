package io.fjord.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compactor's recompression keys as a config file gives them, and their check against the querier's window. */
class RecompressionConfigTest {
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  @Test
  void recompressionKeysAreRead() {
    FjordConfig c = loader.parse("f.yaml", """
        compactor:
          recompress_after: 12h
          recompress_zstd_level: 12
          recompress_rate_mb: 0.5
          recompress_block_size_mb: 4
        """, Map.of());
    assertThat(c.compactor().recompressAfter()).isEqualTo(Duration.ofHours(12));
    assertThat(c.compactor().recompressZstdLevel()).isEqualTo(12);
    assertThat(c.compactor().recompressRateMb()).isEqualTo(0.5);
    assertThat(c.compactor().recompressBlockSizeMb()).isEqualTo(4);
  }

  @Test
  void recompressAfterShorterThanQueryIngestersWithinIsRefusedNamingBothKeys() {
    assertThatThrownBy(() -> loader.parse("f.yaml", """
        querier:
          query_ingesters_within: 8h
        compactor:
          recompress_after: 6h
        """, Map.of()))
        .hasMessageContaining("compactor.recompress_after").hasMessageContaining("querier.query_ingesters_within");
    // off: no constraint
    FjordConfig off = loader.parse("f.yaml", """
        querier:
          query_ingesters_within: 8h
        compactor:
          recompress_after: 0s
        """, Map.of());
    assertThat(off.compactor().recompresses()).isFalse();
  }
}
