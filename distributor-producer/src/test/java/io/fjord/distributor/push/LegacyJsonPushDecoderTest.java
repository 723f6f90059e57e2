package io.fjord.distributor.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LegacyJsonPushDecoderTest {
  private final PushDecoder decoder = new PushDecoder(1 << 20);

  private List<PushedStream> decode(String json) {
    return decoder.decode(json.getBytes(StandardCharsets.UTF_8), "application/json", null, true);
  }

  @Test
  void decodesTheLegacyShapeOnTheLegacyPath() {
    List<PushedStream> streams = decode("""
        {"streams": [{"labels": "{app=\\"api\\", env=\\"prod\\"}",
                      "entries": [{"ts": "2024-01-02T03:04:05.123456789Z", "line": "a"},
                                  {"line": "b", "ts": "2024-01-02T05:04:05+02:00"}]}]}""");

    assertThat(streams).hasSize(1);
    assertThat(streams.get(0).labels()).containsExactly(new LabelPair("app", "api"), new LabelPair("env", "prod"));
    // 2024-01-02T03:04:05Z is 1704164645 s after the epoch
    assertThat(streams.get(0).entries()).containsExactly(
        new PushedEntry(1_704_164_645_123_456_789L, "a"),
        new PushedEntry(1_704_164_645_000_000_000L, "b"));
  }

  @Test
  void theV1ShapeIsExpectedOnTheV1Path() {
    String v1 = "{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"1\",\"x\"]]}]}";
    assertThat(decoder.decode(v1.getBytes(StandardCharsets.UTF_8), null, null, false).get(0).entries()).hasSize(1);
    // on the legacy path the v1 fields are unknown and skipped: a stream without labels or entries
    assertThat(decode(v1).get(0).entries()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      labels not a string  | {"streams":[{"labels":{"a":"b"}}]}                         | streams[0].labels: expected the labels as a string
      bad timestamp        | {"streams":[{"labels":"{a=\\"b\\"}","entries":[{"ts":"yesterday","line":"x"}]}]} | streams[0].entries[0].ts: invalid timestamp "yesterday"
      missing timestamp    | {"streams":[{"labels":"{a=\\"b\\"}","entries":[{"line":"x"}]}]} | streams[0].entries[0]: missing "ts"
      entry is an array    | {"streams":[{"labels":"{a=\\"b\\"}","entries":[["1","x"]]}]} | streams[0].entries[0]: expected an entry object
      """)
  void rejectsMalformedLegacyBodies(String name, String body, String expected) {
    assertThatThrownBy(() -> decode(body))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY))
        .hasMessageContaining(expected);
  }
}
