package io.fjord.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.store.ChunkKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Superseded markers: the documented text and key, what a reader skips, and every marker refused. */
class SupersededMarkersTest {
  private static final String P1 = "fake/index/20780/p-0000019ab1c2d3e4-5f0e1d2c3b4a6978";
  private static final String P2 = "fake/index/20780/p-0000019ab1c2d3e5-0000000000000001";
  private static final String C = "fake/index/20780/c-0000019ab1c2d400-0000000000000002";
  private static final String C2 = "fake/index/20780/c-0000019ab1c2d500-0000000000000003";

  @Test
  void encodesTheDocumentedText() {
    String text = new String(SupersededMarkers.encode(Optional.of(C), List.of(P1, P2)), StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("fjord-superseded-marker 1\n"
        + "by fake/index/20780/c-0000019ab1c2d400-0000000000000002\n"
        + "fake/index/20780/p-0000019ab1c2d3e4-5f0e1d2c3b4a6978\n"
        + "fake/index/20780/p-0000019ab1c2d3e5-0000000000000001\n"
        + "end 2\n");
    var s = SupersededMarkers.decode("m", "fake", 20780, text.getBytes(StandardCharsets.UTF_8));
    assertThat(s.replacement()).contains(C);
    assertThat(s.superseded()).containsExactly(P1, P2);

    String none = new String(SupersededMarkers.encode(Optional.empty(), List.of(P1)), StandardCharsets.UTF_8);
    assertThat(none).isEqualTo("fjord-superseded-marker 1\nby -\n" + P1 + "\nend 1\n");
    assertThat(SupersededMarkers.decode("m", "fake", 20780, none.getBytes(StandardCharsets.UTF_8)).replacement())
        .isEmpty();
  }

  @Test
  void keysLieInTheirPeriodCarryTheirDeleteTimeAndAreNoIndexObjectOrChunk() {
    String key = SupersededMarkers.newKey("fake", 20780, 0x19ab1c2d3e4L, 0x5f0e1d2c3b4a6978L);
    assertThat(key).isEqualTo("fake/index/20780/s-0000019ab1c2d3e4-5f0e1d2c3b4a6978");
    assertThat(SupersededMarkers.parse("fake", 20780, key)).hasValueSatisfying(m ->
        assertThat(m.deleteAfterMillis()).isEqualTo(0x19ab1c2d3e4L));
    assertThat(SupersededMarkers.parse("fake", 20781, key)).isEmpty();
    assertThat(SupersededMarkers.parse("other", 20780, key)).isEmpty();
    assertThat(SupersededMarkers.parse("fake", 20780, P1)).isEmpty();
    assertThat(SupersededMarkers.parse("fake", 20780, "fake/index/20780/s-x")).isEmpty();
    assertThat(IndexKeys.parse(key)).as("readers that do not know markers skip them").isEmpty();
    assertThatThrownBy(() -> ChunkKey.parse(key)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aListingSkipsWhatAMarkerNamesOnlyWhenItsReplacementIsListedToo() {
    var m1 = new SupersededMarkers.Supersession(Optional.of(C), List.of(P1, P2));
    assertThat(SupersededMarkers.live(List.of(C, P1, P2), List.of(m1))).containsExactly(C);
    // a listing that missed the replacement (listed before it was written) keeps the parts
    assertThat(SupersededMarkers.live(List.of(P1, P2), List.of(m1))).containsExactly(P1, P2);
    // a chain: C folded again into C2 leaves only C2
    var m2 = new SupersededMarkers.Supersession(Optional.of(C2), List.of(C));
    assertThat(SupersededMarkers.live(List.of(C, C2, P1, P2), List.of(m1, m2))).containsExactly(C2);
    // retention left nothing: no replacement to wait for
    var expired = new SupersededMarkers.Supersession(Optional.empty(), List.of(P1));
    assertThat(SupersededMarkers.live(List.of(P1, P2), List.of(expired))).containsExactly(P2);
    assertThat(SupersededMarkers.live(List.of(P1, P2), List.of())).containsExactly(P1, P2);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "fjord-superseded-marker 2\nby -\nend 0\n",
      "fjord-superseded-marker 1\nend 0\n",
      "fjord-superseded-marker 1\nby -\n" + P1 + "\n",
      "fjord-superseded-marker 1\nby -\n" + P1 + "\nend 2\n",
      "fjord-superseded-marker 1\nby -\n" + P1 + "\nend 1",
      "fjord-superseded-marker 1\nby x\n" + P1 + "\nend 1\n",
      "fjord-superseded-marker 1\nby " + C + "\n" + C + "\nend 1\n",
      "fjord-superseded-marker 1\nby -\nfake/index/20781/p-0000019ab1c2d3e4-5f0e1d2c3b4a6978\nend 1\n",
      "fjord-superseded-marker 1\nby -\nother/index/20780/p-0000019ab1c2d3e4-5f0e1d2c3b4a6978\nend 1\n",
      "fjord-superseded-marker 1\nby -\nfake/chunks/0000000000000010/0000000000000005-0000000000000009-ffffffff\nend 1\n",
  })
  void aMarkerThatIsNotWholeOrNamesAnythingButItsPeriodsObjectsIsRefused(String text) {
    String key = "fake/index/20780/s-0000019ab1c2d3e4-5f0e1d2c3b4a6978";
    assertThatThrownBy(() -> SupersededMarkers.decode(key, "fake", 20780, text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IndexFormatException.class).hasMessageStartingWith("chunk index object " + key + ": ");
  }
}
