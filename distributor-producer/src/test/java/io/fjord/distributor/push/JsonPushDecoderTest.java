package io.fjord.distributor.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPushDecoderTest {
  private final JsonPushDecoder decoder = new JsonPushDecoder(1 << 20);

  private List<PushedStream> decode(String json) {
    return decoder.decode(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void decodesStreamsEntriesAndStructuredMetadataInPushOrder() {
    List<PushedStream> streams = decode("""
        {"streams": [
          {"stream": {"app": "api", "env": "prod"},
           "values": [["1700000000000000002", "second pushed first"],
                      ["1700000000000000001", "with metadata", {"trace_id": "abc", "user": "u1"}]]},
          {"values": [["5", "values before stream"]], "stream": {"app": "web"}}
        ]}""");

    assertThat(streams).hasSize(2);
    PushedStream api = streams.get(0);
    assertThat(api.labels()).containsExactly(new LabelPair("app", "api"), new LabelPair("env", "prod"));
    assertThat(api.entries()).containsExactly(
        new PushedEntry(1700000000000000002L, "second pushed first"),
        new PushedEntry(1700000000000000001L, "with metadata",
            List.of(new LabelPair("trace_id", "abc"), new LabelPair("user", "u1"))));
    assertThat(streams.get(1).labels()).containsExactly(new LabelPair("app", "web"));
    assertThat(streams.get(1).entries()).containsExactly(new PushedEntry(5, "values before stream"));
  }

  @Test
  void keepsEscapesAndUnicodeOfLinesAndLabels() {
    List<PushedStream> streams = decode(
        "{\"streams\":[{\"stream\":{\"app\":\"caf\\u00e9\"},\"values\":[[\"1\",\"tab\\there \\\"q\\\" \\ud83d\\ude00\"]]}]}");
    assertThat(streams.get(0).labels()).containsExactly(new LabelPair("app", "café"));
    assertThat(streams.get(0).entries().get(0).line()).isEqualTo("tab\there \"q\" \uD83D\uDE00");
  }

  @Test
  void readsATimestampWrittenWithEscapesAndRefusesOneWithANonAsciiDigit() {
    // "\u0031\u0032" is "12"; U+FF11 (a fullwidth 1) and U+0661 (an Arabic-Indic 1) are not ASCII digits
    assertThat(decode("{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"\\u0031\\u0032\",\"l\"]]}]}")
        .get(0).entries().get(0).timestampNanos()).isEqualTo(12L);
    for (String digit : new String[] {"\\uff11", "\\u0661", "\\u00b9"}) {
      String json = "{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"1" + digit + "\",\"l\"]]}]}";
      assertThatThrownBy(() -> decode(json)).as(digit)
          .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY))
          .hasMessageContaining("invalid timestamp");
    }
  }

  @Test
  void skipsUnknownFieldsAndAcceptsNulls() {
    List<PushedStream> streams = decode("""
        {"extra": {"deep": [1, 2, {"x": null}]},
         "streams": [{"stream": {"a": "b"}, "hash": 12, "values": [["1", "l", null]], "other": [[]]},
                     {"stream": null, "values": null}]}""");
    assertThat(streams).hasSize(2);
    assertThat(streams.get(0).entries()).containsExactly(new PushedEntry(1, "l"));
    assertThat(streams.get(1).labels()).isEmpty();
    assertThat(streams.get(1).entries()).isEmpty();
  }

  @Test
  void anEmptyPushHasNoStreams() {
    assertThat(decode("{}")).isEmpty();
    assertThat(decode("{\"streams\": []}")).isEmpty();
    assertThat(decode("{\"streams\": null}")).isEmpty();
  }

  @Test
  void duplicateLabelNamesAreKeptForValidationToReport() {
    List<PushedStream> streams = decode("{\"streams\":[{\"stream\":{\"a\":\"1\",\"a\":\"2\"},\"values\":[[\"1\",\"l\"]]}]}");
    assertThat(streams.get(0).labels()).containsExactly(new LabelPair("a", "1"), new LabelPair("a", "2"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      truncated document             | {"streams":[{"stream":{"a":"b"},"values":[["1","l"]       | invalid JSON at line 1
      not JSON at all                | hello                                                      | invalid JSON at line 1, column
      empty body                     | ``                                                         | empty body
      top level is an array          | [1,2]                                                      | body: expected a JSON object
      streams is an object           | {"streams":{"a":1}}                                        | streams: expected an array of streams, got an object
      a stream is a string           | {"streams":["x"]}                                          | streams[0]: expected a stream object
      stream labels are an array     | {"streams":[{"stream":["a"]}]}                             | streams[0].stream: expected an object of label names to string values, got an array
      label value is a number        | {"streams":[{"stream":{"a":1}}]}                           | streams[0].stream.a: expected a string value, got a number
      values is an object            | {"streams":[{"values":{}}]}                                | streams[0].values: expected an array
      a value is a string            | {"streams":[{"values":["1"]}]}                             | streams[0].values[0]: expected an array
      timestamp is a number          | {"streams":[{"values":[[1,"l"]]}]}                         | streams[0].values[0][0]: expected the timestamp as a string of Unix nanoseconds, got a number
      timestamp is not numeric       | {"streams":[{"values":[["1","l"],["12a","l"]]}]}           | streams[0].values[1][0]: invalid timestamp "12a"
      timestamp is empty             | {"streams":[{"values":[["","l"]]}]}                        | streams[0].values[0][0]: invalid timestamp ""
      timestamp is a float           | {"streams":[{"values":[["1.5","l"]]}]}                     | invalid timestamp "1.5"
      timestamp overflows a long     | {"streams":[{"values":[["9223372036854775808","l"]]}]}     | invalid timestamp "9223372036854775808"
      line is missing                | {"streams":[{"values":[["1"]]}]}                           | streams[0].values[0][1]: expected the log line as a string, got the end of an array
      line is a number               | {"streams":[{"values":[["1",2]]}]}                         | streams[0].values[0][1]: expected the log line as a string, got a number
      metadata is a string           | {"streams":[{"values":[["1","l","m"]]}]}                   | streams[0].values[0][2]: expected an object of structured metadata, got a string
      metadata value is a number     | {"streams":[{"values":[["1","l",{"k":1}]]}]}               | streams[0].values[0][2].k: expected a string value, got a number
      four elements                  | {"streams":[{"values":[["1","l",{},"x"]]}]}                | streams[0].values[0]: expected at most 3 elements
      trailing garbage               | {"streams":[]} {}                                          | unexpected content after the JSON object: an object
      """)
  void rejectsMalformedBodiesNamingTheProblem(String name, String body, String expected) {
    assertThatThrownBy(() -> decode(body))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY))
        .hasMessageContaining(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "1, 1", "-5, -5", "9223372036854775807, 9223372036854775807", "1700000000123456789, 1700000000123456789"})
  void parsesTimestampsAsDecimalNanoseconds(String text, long expected) {
    assertThat(nanos(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"''", "-", "1a", "+1", "1.0", "1e9", "' 1'", "9223372036854775808", "99999999999999999999", "-9223372036854775808"})
  void anythingElseIsNotATimestamp(String text) {
    assertThat(nanos(text)).isEqualTo(JsonPushDecoder.INVALID);
  }

  private static long nanos(String text) {
    byte[] b = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    return JsonPushDecoder.nanos(b, 0, b.length);
  }
}
