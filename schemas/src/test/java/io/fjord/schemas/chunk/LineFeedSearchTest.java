package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The version 2 reader's eight-bytes-at-a-time line feed searches agree with byte-by-byte ones. */
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

  @Test
  void recordsEveryLineFeedUpToTheCountLikeAByteByByteWalk() {
    Random r = new Random(12);
    for (int round = 0; round < 20_000; round++) {
      byte[] buf = new byte[r.nextInt(70)];
      for (int i = 0; i < buf.length; i++) {
        buf[i] = switch (r.nextInt(8)) {
          case 0 -> '\n';
          case 1 -> (byte) 0x0b;
          case 2 -> (byte) 0x8a;
          case 3 -> (byte) 0x09;
          default -> (byte) r.nextInt(256);
        };
      }
      int from = buf.length == 0 ? 0 : r.nextInt(buf.length + 1);
      int to = from + r.nextInt(buf.length - from + 1);
      int count = 1 + r.nextInt(12);
      int at = r.nextInt(3);
      int[] out = new int[at + count + 2];
      java.util.Arrays.fill(out, -7);
      int[] expected = out.clone();
      int expectedFound = 0;
      for (int i = from; i < to && expectedFound < count; i++) {
        if (buf[i] == '\n') {
          expected[at + expectedFound++] = i + 1;
        }
      }
      assertThat(ByteSearch.lineFeedsAfter(buf, from, to, out, at, count)).as("round %d", round)
          .isEqualTo(expectedFound);
      assertThat(out).as("round %d", round).containsExactly(expected); // nothing written past the count
    }
  }

  @Test
  void recordsLineFeedsInBothWordsOfARoundAndInTheTail() {
    // line feeds at 3 and 5 (first word), 12 (second word), 16 (next round's first word), 33 (tail)
    byte[] buf = new byte[34];
    java.util.Arrays.fill(buf, (byte) 'a');
    for (int at : new int[] {3, 5, 12, 16, 33}) {
      buf[at] = '\n';
    }
    int[] out = new int[6];
    assertThat(ByteSearch.lineFeedsAfter(buf, 0, buf.length, out, 1, 5)).isEqualTo(5);
    assertThat(out).containsExactly(0, 4, 6, 13, 17, 34);
    assertThat(ByteSearch.lineFeedsAfter(buf, 0, buf.length, out, 0, 2)).isEqualTo(2);
    assertThat(out).containsExactly(4, 6, 6, 13, 17, 34);
    assertThat(ByteSearch.lineFeedsAfter(buf, 4, 33, out, 0, 6)).isEqualTo(3);
    assertThat(out).containsExactly(6, 13, 17, 13, 17, 34);
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
