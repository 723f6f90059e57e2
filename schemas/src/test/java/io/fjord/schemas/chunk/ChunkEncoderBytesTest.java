package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lines appended as slices of a larger array (as the ingester's memory hands them to the flush)
 * make the same chunk as the same lines appended as strings: the bytes around a slice, line feeds
 * included, are neither copied nor looked at.
 */
class ChunkEncoderBytesTest {
  private static final Labels STREAM = Labels.of("app", "a");

  @ParameterizedTest
  @ValueSource(ints = {ChunkFormat.VERSION, ChunkFormat.VERSION_1})
  void slicesEncodeLikeStrings(int version) {
    Random r = new Random(version);
    ChunkEncoder fromStrings = new ChunkEncoder("t", STREAM, ChunkCodec.ZSTD, 400, 3, version);
    ChunkEncoder fromSlices = new ChunkEncoder("t", STREAM, ChunkCodec.ZSTD, 400, 3, version);
    for (int i = 0; i < 200; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = r.nextInt(60); j > 0; j--) {
        int k = r.nextInt(20);
        sb.append(k == 0 ? '\n' : k == 1 ? '\u00e9' : (char) ('a' + k));
      }
      String line = sb.toString();
      Labels md = i % 7 == 0 ? Labels.of("trace", "x" + i) : Labels.EMPTY;
      byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
      int pad = r.nextInt(5);
      byte[] padded = new byte[pad + utf8.length + 3];
      Arrays.fill(padded, (byte) '\n'); // line feeds right outside the slice
      System.arraycopy(utf8, 0, padded, pad, utf8.length);
      fromStrings.append(i, line, md);
      fromSlices.append(i, padded, pad, utf8.length, md);
    }
    byte[] expected = fromStrings.finish();
    assertThat(fromSlices.finish()).isEqualTo(expected);
  }
}
