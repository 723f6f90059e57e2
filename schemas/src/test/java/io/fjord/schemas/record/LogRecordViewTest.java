package io.fjord.schemas.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class LogRecordViewTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] line(LogRecordView v, int i) {
    return Arrays.copyOfRange(v.lineArray(i), v.lineOffset(i), v.lineOffset(i) + v.lineLength(i));
  }

  @Test
  void goldenRecordIsReadInPlace() {
    // FORMATS.md's golden bytes: magic, version, flags (4), tenant "t" (2), 1 label a=b (5), 1 entry (1),
    // ts (8), then the line's length at offset 20 and "hi" at 21
    byte[] value = HEX.parseHex("464a0100" + "0174" + "01" + "0161" + "0162" + "01" + "0000000000000001" + "026869"
        + "00" + "97db2c2f");
    LogRecordView v = LogRecordCodec.decodeView(value);
    assertThat(v.tenant()).isEqualTo("t");
    assertThat(v.labels()).isEqualTo(Labels.of("a", "b"));
    assertThat(v.size()).isEqualTo(1);
    assertThat(v.timestampNanos(0)).isEqualTo(1);
    assertThat(v.lineArray(0)).isSameAs(value);
    assertThat(v.lineOffset(0)).isEqualTo(21);
    assertThat(v.lineLength(0)).isEqualTo(2);
    assertThat(v.line(0)).isEqualTo("hi");
    assertThat(v.metadata(0)).isEqualTo(Labels.EMPTY);
  }

  @Test
  void goldenRecordWithMetadataAndAnEmptyLine() {
    byte[] value = HEX.parseHex("464a0100" + "0466616b65" + "02" + "03617070" + "03617069" + "03656e76" + "0470726f64"
        + "02" + "18e997c544a70000" + "05474554202f" + "01" + "0874726163655f6964" + "03616263"
        + "18e997c544a70001" + "00" + "00" + "0fb97bcc");
    LogRecordView v = LogRecordCodec.decodeView(value);
    assertThat(v.size()).isEqualTo(2);
    assertThat(new String(line(v, 0), StandardCharsets.US_ASCII)).isEqualTo("GET /");
    assertThat(v.metadata(0)).isEqualTo(Labels.of("trace_id", "abc"));
    assertThat(v.timestampNanos(1)).isEqualTo(1795132800000000001L);
    assertThat(v.lineLength(1)).isZero();
    assertThat(v.metadata(1)).isEqualTo(Labels.EMPTY);
    assertThat(v.toBatch()).isEqualTo(LogRecordCodec.decodeValue(value));
  }

  @Test
  void validUtf8IsKeptAndInvalidUtf8BecomesTheReplacementCharacter() {
    byte[] value = record(new byte[][] {
        HEX.parseHex("c3a9"), // é
        HEX.parseHex("ff61"), // a byte that starts no UTF-8 sequence, then "a"
        HEX.parseHex("e282"), // a three-byte sequence cut after two bytes
        HEX.parseHex("f09f9880"), // U+1F600, four bytes
    });
    LogRecordView v = LogRecordCodec.decodeView(value);
    assertThat(HEX.formatHex(line(v, 0))).isEqualTo("c3a9");
    assertThat(HEX.formatHex(line(v, 1))).isEqualTo("efbfbd61");
    assertThat(HEX.formatHex(line(v, 2))).isEqualTo("efbfbd");
    assertThat(HEX.formatHex(line(v, 3))).isEqualTo("f09f9880");
  }

  /** Lines of random bytes (mostly ASCII, some high bytes): the view's bytes are the strings' UTF-8. */
  @RepeatedTest(30)
  void linesEqualWhatTheStringDecoderGivesEncoded() {
    Random r = new Random();
    byte[][] lines = new byte[1 + r.nextInt(30)][];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = new byte[r.nextInt(40)];
      for (int j = 0; j < lines[i].length; j++) {
        lines[i][j] = (byte) (r.nextInt(10) == 0 ? 0x80 + r.nextInt(128) : 0x20 + r.nextInt(95));
      }
    }
    byte[] value = record(lines);
    LogRecordView v = LogRecordCodec.decodeView(value);
    StreamBatch batch = LogRecordCodec.decodeValue(value);
    assertThat(v.size()).isEqualTo(lines.length);
    for (int i = 0; i < lines.length; i++) {
      assertThat(line(v, i)).isEqualTo(batch.entries().get(i).line().getBytes(StandardCharsets.UTF_8));
    }
    assertThat(v.toBatch()).isEqualTo(batch);
  }

  @Test
  void rejectsEveryTruncationAndAnUnreadTail() {
    byte[] full = LogRecordCodec.encodeValue(new StreamBatch("fake", Labels.of("a", "b"),
        List.of(new LogEntry(5, "line", Labels.of("m", "v")))));
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      assertThatThrownBy(() -> LogRecordCodec.decodeView(cut)).isInstanceOf(RecordFormatException.class);
    }
    // one entry declared, two written: the second is left unread
    byte[] body = HEX.parseHex("464a0100" + "0174" + "01" + "0161" + "0162" + "01"
        + "0000000000000001" + "026869" + "00" + "0000000000000002" + "026869" + "00");
    assertThatThrownBy(() -> LogRecordCodec.decodeView(withCrc(body)))
        .isInstanceOf(RecordFormatException.class).hasMessageContaining("12 unread bytes");
  }

  @Test
  void asciiTestFindsAHighByteAtEveryPositionAndOnlyInsideTheRange() {
    for (int len = 0; len <= 40; len++) {
      for (int at = 0; at < len; at++) {
        byte[] b = new byte[len + 16];
        Arrays.fill(b, (byte) 'x');
        b[3 + at] = (byte) 0x80;
        assertThat(LogRecordCodec.isAscii(b, 3, len)).as("len %d, high byte at %d", len, at).isFalse();
      }
      byte[] around = new byte[len + 16];
      Arrays.fill(around, (byte) 0xff);
      Arrays.fill(around, 3, 3 + len, (byte) 0x7f);
      assertThat(LogRecordCodec.isAscii(around, 3, len)).as("len %d, high bytes outside", len).isTrue();
    }
  }

  @Test
  void viewOfStringsEncodesEachLineAsUtf8() {
    LogRecordView v = LogRecordView.of("t", Labels.of("a", "b"),
        List.of(new LogEntry(2, "é"), new LogEntry(1, "x", Labels.of("k", "v"))));
    assertThat(HEX.formatHex(line(v, 0))).isEqualTo("c3a9");
    assertThat(v.metadata(0)).isEqualTo(Labels.EMPTY);
    assertThat(v.metadata(1)).isEqualTo(Labels.of("k", "v"));
    assertThat(v.timestampNanos(1)).isEqualTo(1);
  }

  /** A record of tenant "t", labels {a="b"}, entries at ts 0, 1, ... with these raw line bytes. */
  private static byte[] record(byte[][] lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HEX.parseHex("464a0100" + "0174" + "01" + "0161" + "0162"));
    out.write(lines.length); // fewer than 128 entries: a one-byte varint
    for (int i = 0; i < lines.length; i++) {
      out.writeBytes(ByteBuffer.allocate(8).putLong(i).array());
      out.write(lines[i].length); // lines shorter than 128 bytes
      out.writeBytes(lines[i]);
      out.write(0);
    }
    return withCrc(out.toByteArray());
  }

  private static byte[] withCrc(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }
}
