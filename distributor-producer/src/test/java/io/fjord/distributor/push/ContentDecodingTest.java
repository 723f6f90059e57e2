package io.fjord.distributor.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentDecodingTest {
  private static final String PUSH = "{\"streams\":[{\"stream\":{\"app\":\"x\"},\"values\":[[\"17\",\"hello\"]]}]}";
  private static final long CAP = 1 << 20;
  private final PushDecoder decoder = new PushDecoder(CAP);

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  static byte[] deflate(byte[] data, boolean raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  private static void assertHello(List<PushedStream> streams) {
    assertThat(streams).hasSize(1);
    assertThat(streams.get(0).entries()).containsExactly(new PushedEntry(17, "hello"));
  }

  @Test
  void gzipBodiesAreDecompressed() throws IOException {
    assertHello(decoder.decode(gzip(PUSH.getBytes(StandardCharsets.UTF_8)), "application/json", "gzip", false));
  }

  @Test
  void deflateBodiesAreDecompressedWhetherZlibWrappedOrRaw() throws IOException {
    byte[] json = PUSH.getBytes(StandardCharsets.UTF_8);
    assertHello(decoder.decode(deflate(json, false), "application/json", "deflate", false));
    assertHello(decoder.decode(deflate(json, true), "application/json", "deflate", false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "identity", "Identity "})
  void identityEncodingsPassTheBodyThrough(String encoding) {
    assertHello(decoder.decode(PUSH.getBytes(StandardCharsets.UTF_8), "application/json", encoding, false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-8"})
  void contentTypesOtherThanProtobufAreReadAsJson(String contentType) {
    assertHello(decoder.decode(PUSH.getBytes(StandardCharsets.UTF_8), contentType, null, false));
  }

  @Test
  void aMissingContentTypeIsReadAsJson() {
    assertHello(decoder.decode(PUSH.getBytes(StandardCharsets.UTF_8), null, null, false));
  }

  @Test
  void anUnknownContentEncodingIsUnsupported() {
    assertThatThrownBy(() -> decoder.decode(PUSH.getBytes(StandardCharsets.UTF_8), "application/json", "br", false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.UNSUPPORTED_ENCODING))
        .hasMessageContaining("Content-Encoding \"br\" not supported");
  }

  @Test
  void aBodyThatIsNotGzipIsABadRequest() {
    assertThatThrownBy(() -> decoder.decode(PUSH.getBytes(StandardCharsets.UTF_8), "application/json", "gzip", false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY))
        .hasMessageContaining("cannot decompress gzip body");
  }

  @Test
  void aTruncatedGzipBodyIsABadRequest() throws IOException {
    byte[] gz = gzip(PUSH.repeat(20).getBytes(StandardCharsets.UTF_8));
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    assertThatThrownBy(() -> decoder.decode(cut, "application/json", "gzip", false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY))
        .hasMessageContaining("cannot decompress body");
  }

  @Test
  void aGzipBombIsCutOffAtTheDecompressedCap() throws IOException {
    // a valid JSON prefix followed by 64 MB of whitespace: 64 times the cap, about 64 KB compressed
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write("{\"streams\":[".getBytes(StandardCharsets.UTF_8));
      byte[] spaces = new byte[1 << 20];
      Arrays.fill(spaces, (byte) ' ');
      for (int i = 0; i < 64; i++) {
        out.write(spaces);
      }
    }
    byte[] bomb = bytes.toByteArray();
    assertThat(bomb.length).isLessThan(1 << 20);

    assertThatThrownBy(() -> decoder.decode(bomb, "application/json", "gzip", false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.BODY_TOO_LARGE))
        .hasMessage("decompressed body exceeds max_decompressed_body_size of 1MB");
  }

  @Test
  void aGzippedProtobufPushIsCappedToo() throws IOException {
    byte[] bomb = gzip(new byte[4 << 20]);
    assertThatThrownBy(() -> decoder.decode(bomb, "application/x-protobuf", "gzip", false))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.BODY_TOO_LARGE));
  }
}
