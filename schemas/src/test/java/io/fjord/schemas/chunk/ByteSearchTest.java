package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time searches agree with byte-by-byte ones, around the bytes that could fool them. */
class ByteSearchTest {

  @Test
  void eachSearchAgreesWithAByteByByteOne() {
    Random r = new Random(13);
    for (int round = 0; round < 30_000; round++) {
      byte[] buf = randomBytes(r, r.nextInt(120)); // past the 32-byte rounds
      int from = r.nextInt(buf.length + 1);
      int to = from + r.nextInt(buf.length - from + 1);
      int k = 1 + r.nextInt(12);
      byte[] pattern = r.nextBoolean() ? randomBytes(r, 1 + r.nextInt(3))
          : java.util.Arrays.copyOfRange(buf, from, Math.min(to, from + 1 + r.nextInt(12)));
      String what = "round " + round;
      if (pattern.length > 0) {
        assertThat(ByteSearch.indexOf(buf, from, to, pattern)).as(what).isEqualTo(naiveIndexOf(buf, from, to, pattern));
      }
      assertThat(ByteSearch.nthLineFeed(buf, from, to, k)).as(what).isEqualTo(naiveNth(buf, from, to, k));
      assertThat(ByteSearch.lastLineFeed(buf, from, to)).as(what).isEqualTo(naiveLast(buf, from, to));
    }
  }

  @Test
  void worksOutTheWorkedExamples() {
    byte[] buf = "ab\ncd\n\nefghijklmnop\nq".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(ByteSearch.nthLineFeed(buf, 0, buf.length, 1)).isEqualTo(2);
    assertThat(ByteSearch.nthLineFeed(buf, 0, buf.length, 3)).isEqualTo(6);
    assertThat(ByteSearch.nthLineFeed(buf, 0, buf.length, 4)).isEqualTo(19);
    assertThat(ByteSearch.nthLineFeed(buf, 0, buf.length, 5)).isEqualTo(-1 - 4);
    assertThat(ByteSearch.nthLineFeed(buf, 3, 6, 1)).isEqualTo(5);
    assertThat(ByteSearch.nthLineFeed(buf, 3, 5, 1)).isEqualTo(-1);
    assertThat(ByteSearch.lastLineFeed(buf, 0, buf.length)).isEqualTo(19);
    assertThat(ByteSearch.lastLineFeed(buf, 0, 19)).isEqualTo(6);
    assertThat(ByteSearch.lastLineFeed(buf, 7, 19)).isEqualTo(-1);
    assertThat(ByteSearch.indexOf(buf, 0, buf.length, "op\nq".getBytes())).isEqualTo(17);
  }

  private static byte[] randomBytes(Random r, int n) {
    byte[] buf = new byte[n];
    for (int i = 0; i < n; i++) {
      buf[i] = switch (r.nextInt(7)) {
        case 0, 1 -> '\n';
        case 2 -> (byte) 0x0b;
        case 3 -> (byte) 0x8a;
        case 4 -> (byte) 0x09;
        case 5 -> 'a';
        default -> (byte) r.nextInt(256);
      };
    }
    return buf;
  }

  private static int naiveIndexOf(byte[] buf, int from, int to, byte[] p) {
    outer:
    for (int i = from; i + p.length <= to; i++) {
      for (int j = 0; j < p.length; j++) {
        if (buf[i + j] != p[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int naiveNth(byte[] buf, int from, int to, int k) {
    int found = 0;
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n' && ++found == k) {
        return i;
      }
    }
    return -1 - found;
  }

  private static int naiveLast(byte[] buf, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
