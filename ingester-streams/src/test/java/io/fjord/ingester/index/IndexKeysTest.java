package io.fjord.ingester.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IndexKeysTest {

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Test
  void postingKeyBytesFollowTheDocumentedLayout() {
    byte[] key = IndexKeys.posting("t1", "app", "api", 0x0102030405060708L);

    assertThat(HexFormat.of().formatHex(key)).isEqualTo(
        "50" + "0002" + "7431" + "0003" + "617070" + "00000003" + "617069" + "0102030405060708");
  }

  @Test
  void seriesKeyBytesFollowTheDocumentedLayout() {
    byte[] key = IndexKeys.series("t", 0xFFL, Labels.of("b", "2", "a", "1"));

    assertThat(HexFormat.of().formatHex(key)).isEqualTo(
        "53" + "0001" + "74" + "00000000000000ff" + "0002" + "0001" + "61" + "00000001" + "31" + "0001" + "62"
            + "00000001" + "32");
  }

  @Test
  void postingsSortByTenantThenNameThenValueThenUnsignedFingerprint() {
    // expected order written by hand: lengths come before the bytes, fingerprints compare unsigned
    List<byte[]> expected = List.of(
        IndexKeys.posting("a", "app", "x", 1),
        IndexKeys.posting("a", "app", "x", 2),
        IndexKeys.posting("a", "app", "x", -1L),
        IndexKeys.posting("a", "app", "y", 0),
        IndexKeys.posting("a", "app", "zz", 0),
        IndexKeys.posting("a", "env", "a", 0),
        IndexKeys.posting("a", "apple", "x", 0),
        IndexKeys.posting("b", "app", "x", 0),
        IndexKeys.posting("ab", "app", "x", 0));
    List<byte[]> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(7));

    shuffled.sort(Arrays::compareUnsigned);

    assertThat(shuffled).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "prefix of {0}/{1} must not match {2}/{3}")
  @CsvSource({
      "app, x,  apple, x",
      "apple, x, app, x",
      "app, x,  app, xy",
      "app, xy, app, x"})
  void aNamePrefixNeverReachesALongerOrShorterName(String name, String value, String otherName, String otherValue) {
    byte[] own = IndexKeys.posting("t", name, value, 42);
    byte[] other = IndexKeys.posting("t", otherName, otherValue, 42);

    assertThat(startsWith(own, IndexKeys.postingPrefix("t", name))).isTrue();
    assertThat(startsWith(own, IndexKeys.postingPrefix("t", name, value))).isTrue();
    assertThat(startsWith(other, IndexKeys.postingPrefix("t", name, value))).isFalse();
    if (!name.equals(otherName)) {
      assertThat(startsWith(other, IndexKeys.postingPrefix("t", name))).isFalse();
    }
  }

  @ParameterizedTest
  @CsvSource({"a, ab", "ab, a", "tenant, tenant2", "x, y"})
  void aTenantPrefixNeverReachesAnotherTenant(String tenant, String other) {
    assertThat(startsWith(IndexKeys.posting(other, "app", "x", 1), IndexKeys.postingPrefix(tenant))).isFalse();
    assertThat(startsWith(IndexKeys.series(other, 1, Labels.of("app", "x")), IndexKeys.seriesPrefix(tenant)))
        .isFalse();
    assertThat(startsWith(IndexKeys.series(tenant, 1, Labels.of("app", "x")), IndexKeys.seriesPrefix(tenant)))
        .isTrue();
  }

  @Test
  void seriesPrefixOfAFingerprintReachesOnlyThatFingerprint() {
    byte[] one = IndexKeys.series("t", 1, Labels.of("a", "b"));
    byte[] collision = IndexKeys.series("t", 1, Labels.of("c", "d"));
    byte[] other = IndexKeys.series("t", 2, Labels.of("a", "b"));

    assertThat(startsWith(one, IndexKeys.seriesPrefix("t", 1))).isTrue();
    assertThat(startsWith(collision, IndexKeys.seriesPrefix("t", 1))).isTrue();
    assertThat(startsWith(other, IndexKeys.seriesPrefix("t", 1))).isFalse();
  }

  @Test
  void keysDecodeBack() {
    Labels labels = Labels.of("app", "api", "env", "prød", "empty", "");
    assertThat(IndexKeys.decodeSeries(IndexKeys.series("tenant-1", -7L, labels)))
        .isEqualTo(new IndexKeys.SeriesKey("tenant-1", -7L, labels));
    assertThat(IndexKeys.decodePosting(IndexKeys.posting("tenant-1", "env", "prød", Long.MIN_VALUE)))
        .isEqualTo(new IndexKeys.Posting("tenant-1", "env", "prød", Long.MIN_VALUE));
    assertThat(IndexKeys.decodeSeriesValue(IndexKeys.seriesValue(-5, Long.MAX_VALUE)))
        .containsExactly(-5, Long.MAX_VALUE);
  }

  @Test
  void refusesPartsThatDoNotFitTheirLengthField() {
    String longName = "n".repeat(70_000);

    assertThat(IndexKeys.checkFits("t", Labels.of(longName, "v"))).contains("label name longer");
    assertThat(IndexKeys.checkFits("t", Labels.of("n", "v".repeat(70_000)))).isNull();
    assertThatThrownBy(() -> IndexKeys.posting("t", longName, "v", 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
