package io.fjord.distributor.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.fjord.schemas.push.PushProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class ProtobufPushDecoderTest {
  private static final String PROTOBUF = "application/x-protobuf";
  private final PushDecoder decoder = new PushDecoder(1 << 20);

  private static PushProto.EntryAdapter.Builder entry(long seconds, int nanos, String line) {
    return PushProto.EntryAdapter.newBuilder()
        .setTimestamp(PushProto.Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos))
        .setLine(line);
  }

  private static byte[] snappy(byte[] message) throws IOException {
    return Snappy.compress(message);
  }

  @Test
  void decodesAPushBuiltWithTheGeneratedBuilders() throws IOException {
    PushProto.PushRequest request = PushProto.PushRequest.newBuilder()
        .addStreams(PushProto.StreamAdapter.newBuilder()
            .setLabels("{app=\"api\", env=\"prod\"}")
            .setHash(42)
            .addEntries(entry(1700000000, 5, "first"))
            .addEntries(entry(1700000001, 0, "second")
                .addStructuredMetadata(PushProto.LabelPairAdapter.newBuilder().setName("trace_id").setValue("abc"))
                .addStructuredMetadata(PushProto.LabelPairAdapter.newBuilder().setName("user").setValue("u1"))))
        .addStreams(PushProto.StreamAdapter.newBuilder().setLabels("{app=\"web\"}").addEntries(entry(3, 999_999_999, "")))
        .build();

    List<PushedStream> streams = decoder.decode(snappy(request.toByteArray()), PROTOBUF, null, false);

    assertThat(streams).hasSize(2);
    assertThat(streams.get(0).labels()).containsExactly(new LabelPair("app", "api"), new LabelPair("env", "prod"));
    assertThat(streams.get(0).labelsText()).isEqualTo("{app=\"api\", env=\"prod\"}");
    assertThat(streams.get(0).entries()).containsExactly(
        new PushedEntry(1_700_000_000_000_000_005L, "first"),
        new PushedEntry(1_700_000_001_000_000_000L, "second",
            List.of(new LabelPair("trace_id", "abc"), new LabelPair("user", "u1"))));
    assertThat(streams.get(1).entries()).containsExactly(new PushedEntry(3_999_999_999L, ""));
  }

  @Test
  void contentTypeParametersAndSnappyContentEncodingAreAccepted() throws IOException {
    byte[] body = snappy(PushProto.PushRequest.newBuilder()
        .addStreams(PushProto.StreamAdapter.newBuilder().setLabels("{a=\"b\"}").addEntries(entry(1, 0, "x")))
        .build().toByteArray());
    assertThat(decoder.decode(body, "Application/X-Protobuf; charset=binary", "snappy", false)).hasSize(1);
  }

  /** A StreamAdapter written field by field, so its strings may hold any bytes (as Go clients may send). */
  private static byte[] rawStream(byte[] labels, byte[]... lines) throws IOException {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(stream);
    s.writeByteArray(PushProto.StreamAdapter.LABELS_FIELD_NUMBER, labels);
    for (byte[] line : lines) {
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      CodedOutputStream e = CodedOutputStream.newInstance(entry);
      e.writeMessage(PushProto.EntryAdapter.TIMESTAMP_FIELD_NUMBER, PushProto.Timestamp.newBuilder().setSeconds(1).build());
      e.writeByteArray(PushProto.EntryAdapter.LINE_FIELD_NUMBER, line);
      e.flush();
      s.writeByteArray(PushProto.StreamAdapter.ENTRIES_FIELD_NUMBER, entry.toByteArray());
    }
    s.flush();
    return stream.toByteArray();
  }

  private static byte[] rawRequest(byte[]... streams) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    CodedOutputStream r = CodedOutputStream.newInstance(request);
    for (byte[] stream : streams) {
      r.writeByteArray(PushProto.PushRequest.STREAMS_FIELD_NUMBER, stream);
    }
    r.flush();
    return request.toByteArray();
  }

  @Test
  void aLineThatIsNotUtf8IsKeptWithReplacementCharactersInsteadOfFailingThePush() throws IOException {
    byte[] message = rawRequest(rawStream("{a=\"b\"}".getBytes(), new byte[] {'o', 'k', (byte) 0xff}, "fine".getBytes()));

    List<PushedStream> streams = decoder.decode(snappy(message), PROTOBUF, null, false);

    assertThat(streams.get(0).entries()).extracting(PushedEntry::line).containsExactly("ok\uFFFD", "fine");
    assertThat(streams.get(0).entries()).extracting(PushedEntry::timestampNanos).containsOnly(1_000_000_000L);
    // the line's size is that of what is stored: U+FFFD takes 3 bytes, not the 1 byte that was pushed
    assertThat(streams.get(0).entries()).extracting(PushedEntry::lineBytes).containsExactly(5L, 4L);
  }

  @Test
  void aLineCarriesItsUtf8LengthFromTheBytesRead() throws IOException {
    String[] lines = {"", "plain ascii line of more than eight bytes", "caf\u00e9 \uD83D\uDE00 \u65e5\u672c", "x".repeat(300)};
    byte[][] raw = new byte[lines.length][];
    for (int i = 0; i < lines.length; i++) {
      raw[i] = lines[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    List<PushedStream> streams = decoder.decode(snappy(rawRequest(rawStream("{a=\"b\"}".getBytes(), raw))), PROTOBUF, null, false);
    assertThat(streams.get(0).entries()).extracting(PushedEntry::line).containsExactly(lines);
    // 0, 41, "café " 6 + emoji 4 + space 1 + two CJK 6 = 17, 300
    assertThat(streams.get(0).entries()).extracting(PushedEntry::lineBytes).containsExactly(0L, 41L, 17L, 300L);
  }

  @Test
  void labelTextThatIsNotUtf8MakesOnlyThatStreamUnreadable() throws IOException {
    byte[] message = rawRequest(
        rawStream(new byte[] {'{', 'a', '=', '"', (byte) 0xc3, '"', '}'}, "x".getBytes()),
        rawStream("{a=\"ok\"}".getBytes(), "y".getBytes()));

    List<PushedStream> streams = decoder.decode(snappy(message), PROTOBUF, null, false);

    assertThat(streams.get(0).labels()).isNull();
    assertThat(streams.get(0).labelsError()).isEqualTo("labels are not valid UTF-8");
    assertThat(streams.get(1).labels()).containsExactly(new LabelPair("a", "ok"));
  }

  @Test
  void labelTextWithASyntaxErrorMakesOnlyThatStreamUnreadable() throws IOException {
    byte[] message = PushProto.PushRequest.newBuilder()
        .addStreams(PushProto.StreamAdapter.newBuilder().setLabels("{a=b}").addEntries(entry(1, 0, "x")))
        .build().toByteArray();

    PushedStream stream = decoder.decode(snappy(message), PROTOBUF, null, false).get(0);

    assertThat(stream.labels()).isNull();
    assertThat(stream.labelsError()).contains("expected a quoted label value");
    assertThat(stream.entries()).hasSize(1);
  }

  @Test
  void unknownFieldsAreSkipped() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(99, "a field from a future version");
    out.writeMessage(1, PushProto.StreamAdapter.newBuilder().setLabels("{a=\"b\"}").addEntries(entry(7, 0, "x")).build());
    out.writeUInt64(100, 5);
    out.flush();

    List<PushedStream> streams = decoder.decode(snappy(bytes.toByteArray()), PROTOBUF, null, false);

    assertThat(streams).hasSize(1);
    assertThat(streams.get(0).entries()).containsExactly(new PushedEntry(7_000_000_000L, "x"));
  }

  @Test
  void brokenSnappyIsABadRequest() {
    assertThatThrownBy(() -> decoder.decode("this is not snappy at all, just text".getBytes(), PROTOBUF, null, false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY))
        .hasMessageContaining("snappy");
    assertThatThrownBy(() -> decoder.decode(new byte[0], PROTOBUF, null, false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY));
  }

  @Test
  void truncatedSnappyIsABadRequest() throws IOException {
    byte[] body = snappy(PushProto.PushRequest.newBuilder()
        .addStreams(PushProto.StreamAdapter.newBuilder().setLabels("{a=\"b\"}").addEntries(entry(1, 0, "some line ".repeat(50))))
        .build().toByteArray());
    byte[] truncated = Arrays.copyOf(body, body.length / 2);

    assertThatThrownBy(() -> decoder.decode(truncated, PROTOBUF, null, false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY))
        .hasMessageContaining("snappy");
  }

  @Test
  void brokenProtobufInsideValidSnappyIsABadRequest() throws IOException {
    byte[] message = PushProto.PushRequest.newBuilder()
        .addStreams(PushProto.StreamAdapter.newBuilder().setLabels("{a=\"b\"}").addEntries(entry(1, 0, "line")))
        .build().toByteArray();
    byte[] cut = Arrays.copyOf(message, message.length - 3); // a length prefix now overruns the message

    assertThatThrownBy(() -> decoder.decode(snappy(cut), PROTOBUF, null, false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY))
        .hasMessageContaining("cannot parse protobuf PushRequest");
  }

  @Test
  void aSnappyBlockAnnouncingMoreThanTheCapIsRefusedBeforeDecompressing() throws IOException {
    // 8 MB of zeros compresses to a few hundred KB; the cap is 1 MB
    byte[] bomb = Snappy.compress(new byte[8 << 20]);
    assertThat(bomb.length).isLessThan(1 << 20);

    assertThatThrownBy(() -> decoder.decode(bomb, PROTOBUF, null, false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.BODY_TOO_LARGE))
        .hasMessageContaining("max_decompressed_body_size of 1MB")
        .hasMessageContaining("announces " + (8 << 20) + " bytes");
  }

  @Test
  void aForgedHeaderClaimingTwoGigabytesIsRefusedWithoutAllocating() {
    // uvarint 2^31-1 as the uncompressed length, then a few bytes of nothing
    byte[] forged = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0, 1, 2, 3};
    assertThatThrownBy(() -> decoder.decode(forged, PROTOBUF, null, false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.BODY_TOO_LARGE))
        .hasMessageContaining("announces 2147483647 bytes");
  }
}
