package io.fjord.schemas.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogRecordCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  /** Bytes written out by hand from FORMATS.md; the CRC32C was computed by an independent implementation. */
  @Test
  void goldenBytesOfTheSmallestRecord() {
    StreamBatch batch = new StreamBatch("t", Labels.of("a", "b"), List.of(new LogEntry(1, "hi")));
    String expected = "464a0100" + "0174" + "01" + "0161" + "0162" + "01" + "0000000000000001" + "026869" + "00"
        + "97db2c2f";
    assertThat(HEX.formatHex(LogRecordCodec.encodeValue(batch))).isEqualTo(expected);
    assertThat(LogRecordCodec.decodeValue(HEX.parseHex(expected))).isEqualTo(batch);
  }

  @Test
  void goldenBytesWithStructuredMetadataAndAnEmptyLine() {
    StreamBatch batch = new StreamBatch("fake", Labels.of("env", "prod", "app", "api"), List.of(
        new LogEntry(1795132800000000000L, "GET /", Labels.of("trace_id", "abc")),
        new LogEntry(1795132800000000001L, "")));
    String expected = "464a0100" + "0466616b65" + "02" + "03617070" + "03617069" + "03656e76" + "0470726f64"
        + "02" + "18e997c544a70000" + "05474554202f" + "01" + "0874726163655f6964" + "03616263"
        + "18e997c544a70001" + "00" + "00" + "0fb97bcc";
    assertThat(HEX.formatHex(LogRecordCodec.encodeValue(batch))).isEqualTo(expected);
    assertThat(LogRecordCodec.decodeValue(HEX.parseHex(expected))).isEqualTo(batch);
  }

  @Test
  void keyCarriesVersionFingerprintAndTenant() {
    byte[] key = LogRecordCodec.encodeKey("fake", 0x0102030405060708L);
    assertThat(HEX.formatHex(key)).isEqualTo("01" + "0102030405060708" + "66616b65");
    assertThat(LogRecordCodec.keyFingerprint(key)).isEqualTo(0x0102030405060708L);
  }

  @RepeatedTest(50)
  void randomBatchesRoundTrip() {
    Random r = new Random();
    List<LogEntry> entries = new ArrayList<>();
    int n = r.nextInt(20);
    for (int i = 0; i < n; i++) {
      Labels md = r.nextBoolean() ? Labels.EMPTY : Labels.of("k" + r.nextInt(3), randomString(r));
      entries.add(new LogEntry(r.nextLong(), randomString(r), md));
    }
    StreamBatch batch = new StreamBatch(randomString(r) + "t", Labels.of("app", randomString(r)), entries);
    assertThat(LogRecordCodec.decodeValue(LogRecordCodec.encodeValue(batch))).isEqualTo(batch);
  }

  @ParameterizedTest
  @CsvSource({
      "'', record too short",
      "00000000000000000000, bad magic",
      "464a0200000000000000, unsupported log record version 2",
      "464a01000174010161016201000000000000000102686900ffffffff, checksum mismatch",
  })
  void rejectsWhatItCannotRead(String hex, String reason) {
    assertThatThrownBy(() -> LogRecordCodec.decodeValue(HEX.parseHex(hex)))
        .isInstanceOf(RecordFormatException.class).hasMessageContaining(reason);
    // the in-place view refuses the same records with the same reasons
    assertThatThrownBy(() -> LogRecordCodec.decodeView(HEX.parseHex(hex)))
        .isInstanceOf(RecordFormatException.class).hasMessageContaining(reason);
  }

  @Test
  void rejectsEveryTruncationOfAValidRecordWithoutOtherExceptions() {
    byte[] full = LogRecordCodec.encodeValue(new StreamBatch("fake", Labels.of("a", "b"),
        List.of(new LogEntry(5, "line", Labels.of("m", "v")))));
    for (int len = 0; len < full.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(full, len);
      assertThatThrownBy(() -> LogRecordCodec.decodeValue(cut)).isInstanceOf(RecordFormatException.class);
    }
  }

  @Test
  void rejectsAHugeCountInACorruptRecordBeforeAllocating() {
    // a record whose entry count claims 2^31 entries, with a valid checksum over the lie
    byte[] body = HEX.parseHex("464a0100" + "0174" + "00" + "8080808008");
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(body);
    byte[] rec = java.nio.ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
    assertThatThrownBy(() -> LogRecordCodec.decodeValue(rec))
        .isInstanceOf(RecordFormatException.class).hasMessageContaining("out of range");
  }

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      sb.appendCodePoint(r.nextInt(4) == 0 ? 0x4e00 + r.nextInt(100) : 'a' + r.nextInt(26));
    }
    return sb.toString();
  }
}
