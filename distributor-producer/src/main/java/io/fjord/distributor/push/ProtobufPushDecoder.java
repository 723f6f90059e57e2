package io.fjord.distributor.push;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.fjord.schemas.push.PushProto;
import io.fjord.schemas.text.Utf8;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Decodes Loki's protobuf push: a snappy block around {@code logproto.PushRequest}
 * (schemas' push.proto, whose generated field numbers this reader uses).
 *
 * <p>It reads the wire format with {@link CodedInputStream} rather than the generated
 * {@code PushRequest.parseFrom}, because proto3's generated parser rejects the whole request when
 * any string is not valid UTF-8, while Loki (Go) accepts such bytes: one binary log line would
 * otherwise lose a client's whole batch. Here a line or metadata value that is not UTF-8 is kept
 * with U+FFFD replacements, and label text that is not UTF-8 rejects only its stream
 * ({@code invalid_labels}). Unknown fields are skipped, as protobuf requires.
 *
 * <p>The snappy block's announced length is checked against the decompressed-size cap before
 * anything is allocated. Stateless and thread-safe.
 */
final class ProtobufPushDecoder {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int TAG_STREAM = tag(PushProto.PushRequest.STREAMS_FIELD_NUMBER, LEN);
  private static final int TAG_LABELS = tag(PushProto.StreamAdapter.LABELS_FIELD_NUMBER, LEN);
  private static final int TAG_ENTRY = tag(PushProto.StreamAdapter.ENTRIES_FIELD_NUMBER, LEN);
  private static final int TAG_TIMESTAMP = tag(PushProto.EntryAdapter.TIMESTAMP_FIELD_NUMBER, LEN);
  private static final int TAG_LINE = tag(PushProto.EntryAdapter.LINE_FIELD_NUMBER, LEN);
  private static final int TAG_METADATA = tag(PushProto.EntryAdapter.STRUCTUREDMETADATA_FIELD_NUMBER, LEN);
  private static final int TAG_SECONDS = tag(PushProto.Timestamp.SECONDS_FIELD_NUMBER, VARINT);
  private static final int TAG_NANOS = tag(PushProto.Timestamp.NANOS_FIELD_NUMBER, VARINT);
  private static final int TAG_PAIR_NAME = tag(PushProto.LabelPairAdapter.NAME_FIELD_NUMBER, LEN);
  private static final int TAG_PAIR_VALUE = tag(PushProto.LabelPairAdapter.VALUE_FIELD_NUMBER, LEN);

  private final ContentDecoding decoding;

  ProtobufPushDecoder(ContentDecoding decoding) {
    this.decoding = decoding;
  }

  /** @param body the request body after its Content-Encoding was undone: a snappy block */
  List<PushedStream> decode(byte[] body) {
    byte[] message = unsnappy(body);
    try {
      return request(CodedInputStream.newInstance(message), message);
    } catch (InvalidProtocolBufferException e) {
      throw PushException.malformed("cannot parse protobuf PushRequest: " + e.getMessage());
    } catch (IOException e) {
      throw PushException.malformed("cannot parse protobuf PushRequest: " + ContentDecoding.describe(e));
    }
  }

  private byte[] unsnappy(byte[] body) {
    int length;
    try {
      length = Snappy.uncompressedLength(body);
    } catch (IOException e) {
      throw PushException.malformed("cannot decompress snappy body (a protobuf push must be snappy block format): "
          + ContentDecoding.describe(e));
    }
    if (length < 0 || length > decoding.maxDecompressedBytes()) {
      throw new PushException(PushException.Kind.BODY_TOO_LARGE, "decompressed body exceeds "
          + decoding.limitName() + " (the snappy block announces " + Integer.toUnsignedString(length) + " bytes)");
    }
    byte[] out = new byte[length];
    try {
      int n = Snappy.uncompress(body, 0, body.length, out, 0);
      if (n != length) {
        throw PushException.malformed("cannot decompress snappy body: it holds " + n + " bytes, announced " + length);
      }
    } catch (IOException e) {
      throw PushException.malformed("cannot decompress snappy body: " + ContentDecoding.describe(e));
    }
    return out;
  }

  private static List<PushedStream> request(CodedInputStream in, byte[] message) throws IOException {
    List<PushedStream> streams = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == TAG_STREAM) {
        int limit = in.pushLimit(in.readRawVarint32());
        streams.add(stream(in, message));
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    return streams;
  }

  private static PushedStream stream(CodedInputStream in, byte[] message) throws IOException {
    byte[] labels = null;
    List<PushedEntry> entries = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == TAG_LABELS) {
        labels = in.readByteArray();
      } else if (tag == TAG_ENTRY) {
        int limit = in.pushLimit(in.readRawVarint32());
        entries.add(entry(in, message));
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    if (labels == null) {
      return PushedStream.of(List.of(), entries);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(labels)).toString();
    } catch (CharacterCodingException e) {
      String shown = new String(labels, StandardCharsets.UTF_8);
      return PushedStream.unreadable(shown, "labels are not valid UTF-8", entries);
    }
    return LabelText.read(text, entries);
  }

  /** One entry; {@code message} is the array {@code in} reads (from its start), so a line is made straight from it. */
  private static PushedEntry entry(CodedInputStream in, byte[] message) throws IOException {
    long seconds = 0;
    int nanos = 0;
    String line = "";
    long lineBytes = 0;
    List<LabelPair> metadata = List.of();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == TAG_TIMESTAMP) {
        int limit = in.pushLimit(in.readRawVarint32());
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          if (t == TAG_SECONDS) {
            seconds = in.readInt64();
          } else if (t == TAG_NANOS) {
            nanos = in.readInt32();
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
      } else if (tag == TAG_LINE) {
        int length = in.readRawVarint32();
        int offset = in.getTotalBytesRead();
        in.skipRawBytes(length); // checks the length against the message
        line = new String(message, offset, length, StandardCharsets.UTF_8); // invalid UTF-8 becomes U+FFFD
        lineBytes = isAscii(line, length) ? length : Utf8.length(line);
      } else if (tag == TAG_METADATA) {
        if (metadata.isEmpty()) {
          metadata = new ArrayList<>(4);
        }
        int limit = in.pushLimit(in.readRawVarint32());
        metadata.add(pair(in));
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    long ts;
    try {
      ts = Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    } catch (ArithmeticException e) {
      throw PushException.malformed("entry timestamp out of range: " + seconds + "s " + nanos + "ns");
    }
    return new PushedEntry(ts, line, metadata, lineBytes);
  }

  /**
   * Whether a line decoded from {@code bytes} bytes was all ASCII, in O(1) for an ASCII line: a
   * valid multi-byte character makes fewer chars than bytes, and a malformed byte becomes U+FFFD,
   * which a Latin-1 string (every ASCII line) cannot hold, so indexOf answers at once.
   */
  static boolean isAscii(String line, int bytes) {
    return line.length() == bytes && line.indexOf('\uFFFD') < 0;
  }

  private static LabelPair pair(CodedInputStream in) throws IOException {
    String name = "";
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == TAG_PAIR_NAME) {
        name = in.readString();
      } else if (tag == TAG_PAIR_VALUE) {
        value = in.readString();
      } else {
        in.skipField(tag);
      }
    }
    return new LabelPair(name, value);
  }

  private static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }
}
