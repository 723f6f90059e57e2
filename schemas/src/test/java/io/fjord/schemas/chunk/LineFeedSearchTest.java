package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The version 2 reader's eight-bytes-at-a-time line feed search agrees with a byte-by-byte one. */
class LineFeedSearchTest {

  @Test
  void findsTheFirstLineFeedLikeAByteByByteSearch() {
    Random r = new Random(11);
    for (int round = 0; round < 20_000; round++) {
      byte[] buf = new byte[r.nextInt(40)];
      for (int i = 0; i < buf.length; i++) {
        // bytes around 0x0a and high bytes, where a word-at-a-time trick could go wrong
        buf[i] = switch (r.nextInt(6)) {
          case 0 -> '\n';
          case 1 -> (byte) 0x0b;
          case 2 -> (byte) 0x8a;
          case 3 -> (byte) 0x09;
          default -> (byte) r.nextInt(256);
        };
        if (buf[i] == '\n' && r.nextInt(3) > 0) {
          buf[i] = 'x'; // keep line feeds rarer than the other bytes
        }
      }
      int from = buf.length == 0 ? 0 : r.nextInt(buf.length + 1);
      int to = from + r.nextInt(buf.length - from + 1);
      assertThat(ByteSearch.indexOfLineFeed(buf, from, to)).as("round %d", round).isEqualTo(naive(buf, from, to));
    }
  }

  @Test
  void aLineFeedInTheLastWordAndInTheTailAreFound() {
    byte[] buf = "0123456789abcdef\nXY".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(ByteSearch.indexOfLineFeed(buf, 0, buf.length)).isEqualTo(16);
    assertThat(ByteSearch.indexOfLineFeed(buf, 0, 16)).isEqualTo(-1);
    buf[7] = '\n';
    assertThat(ByteSearch.indexOfLineFeed(buf, 0, buf.length)).isEqualTo(7);
    assertThat(ByteSearch.indexOfLineFeed(buf, 8, buf.length)).isEqualTo(16);
  }

  private static int naive(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
