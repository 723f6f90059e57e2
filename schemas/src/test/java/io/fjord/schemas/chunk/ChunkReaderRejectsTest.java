package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** What a reader refuses, and that every refusal is a ChunkFormatException naming the object. */
class ChunkReaderRejectsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Labels STREAM = Labels.of("app", "api");

  @ParameterizedTest
  @CsvSource({
      // byte offset, new value, expected reason
      "0, 0x47, not a Fjord chunk (bad magic in the header)",
      "4, 0x03, unsupported chunk format version 3 (this reader knows versions 1 and 2)",
      "4, 0x01, header version 1 disagrees with footer version 2",
      "5, 0x09, unknown chunk codec id 9",
      "9, 0x7f, block 0 (offset 6): checksum mismatch",
  })
  void rejectsAHeaderOrBlockItCannotRead(int offset, String value, String reason) {
    byte[] chunk = validChunk(ChunkCodec.SNAPPY);
    chunk[offset] = (byte) Integer.decode(value).intValue();
    assertThatThrownBy(() -> ChunkReader.of("tenant/chunks/abc", chunk).readBlock(0))
        .isInstanceOf(ChunkFormatException.class)
        .hasMessage("chunk tenant/chunks/abc: " + reason)
        .extracting(e -> ((ChunkFormatException) e).objectName()).isEqualTo("tenant/chunks/abc");
  }

  @Test
  void rejectsAFutureVersionFoundThroughTheFooterWhenReadByRanges() {
    byte[] chunk = validChunk(ChunkCodec.NONE);
    int footerLength = java.nio.ByteBuffer.wrap(chunk, chunk.length - 8, 4).getInt();
    int footerStart = chunk.length - 8 - footerLength;
    chunk[footerStart + 4] = 3; // the footer's version byte
    CRC32C crc = new CRC32C();
    crc.update(chunk, footerStart, footerLength);
    java.nio.ByteBuffer.wrap(chunk, chunk.length - 4, 4).putInt((int) crc.getValue());
    assertThatThrownBy(() -> ChunkReader.open("o", chunk.length, (off, len) -> ChunkRoundTripTest.slice(chunk, off, len)))
        .isInstanceOf(ChunkFormatException.class)
        .hasMessage("chunk o: unsupported chunk format version 3 (this reader knows versions 1 and 2)");
  }

  @Test
  void rejectsACorruptFooter() {
    byte[] chunk = validChunk(ChunkCodec.LZ4);
    chunk[chunk.length - 12] ^= 0x01; // inside the footer
    assertThatThrownBy(() -> ChunkReader.of("o", chunk))
        .isInstanceOf(ChunkFormatException.class)
        .hasMessage("chunk o: footer checksum mismatch (corrupt, or not a Fjord chunk)");
  }

  @Test
  void rejectsSomethingThatIsNotAChunk() {
    byte[] notAChunk = "{\"hello\": \"this is JSON, not a chunk\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ChunkReader.open("o", notAChunk.length,
        (off, len) -> ChunkRoundTripTest.slice(notAChunk, off, len)))
        .isInstanceOf(ChunkFormatException.class)
        .hasMessageStartingWith("chunk o: footer length ");
    assertThatThrownBy(() -> ChunkReader.of("o", new byte[3]))
        .isInstanceOf(ChunkFormatException.class).hasMessage("chunk o: too short to be a chunk (3 bytes)");
  }

  @Test
  void rejectsDataThatDecompressesToAnotherLengthThanTheHeaderSays() {
    // a valid LZ4 block of 19 bytes, declared as 20 in block header and footer
    byte[] data = HEX.parseHex("64" + "0010" + "61626364" + "0400" + "50" + "61626364" + "00");
    byte[] chunk = ChunkGoldenBytesTest.oneBlockChunk(ChunkCodec.LZ4.id(), 10, 10, 1, 20, data);
    assertThatThrownBy(() -> ChunkReader.of("o", chunk).readBlock(0))
        .isInstanceOf(ChunkFormatException.class).hasMessageStartingWith("chunk o: block 0 (offset 6): lz4 data");
  }

  @Test
  void rejectsABodyWhoseEntriesDisagreeWithItsHeader() {
    // body of one entry (ts 10, "hi"), declared as ending at maxTs 11
    byte[] body = HEX.parseHex("00" + "026869" + "00");
    byte[] chunk = ChunkGoldenBytesTest.oneBlockChunk(ChunkCodec.NONE.id(), 10, 11, 1, 5, body);
    assertThatThrownBy(() -> ChunkReader.of("o", chunk).readBlock(0))
        .isInstanceOf(ChunkFormatException.class)
        .hasMessage("chunk o: block 0 (offset 6): last entry at 10, the header says maxTs 11");
  }

  /**
   * Version 2 bodies laid out by hand (codec none, so the bytes are the body), one rule each: the
   * columns must hold exactly the entries the header claims, in its time span, and nothing more.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // entries | minTs | maxTs | body: ts deltas, md length, md, multi-line list, lines | reason
      "2 | 10 | 12 | 00 02 | 00 |                  | 00       | 68690a 6a0a 6b | 1 unread bytes after the last line",
      "2 | 10 | 12 | 00 02 | 00 |                  | 00       | 68690a 6a      | entry 1 line has no line feed before the end of the body",
      "2 | 10 | 12 | 00 03 | 00 |                  | 00       | 680a 690a      | entry 1 timestamp lies past the block's maxTs",
      "2 | 10 | 12 | 00 01 | 00 |                  | 00       | 680a 690a      | last entry at 11, the header says maxTs 12",
      "2 | 10 | 12 | 01 01 | 00 |                  | 00       | 680a 690a      | the first entry's timestamp delta is 1, not 0 (it must be at the block's minTs)",
      "2 | 10 | 12 | 00 02 | 08 | 00 00            | 00       | 680a 690a      | metadata length 8 out of range",
      "2 | 10 | 12 | 00 02 | 03 | 00 00 00         | 00       | 680a 690a      | block 0 (offset 6) metadata: 1 unread bytes after the last entry's metadata",
      "2 | 10 | 12 | 00 02 | 02 | 00 01            | 00       | 680a 690a      | block 0 (offset 6) metadata: metadata count 1 out of range",
      "1 | 10 | 10 | 00    | 05 | 01 0162 0561     | 00       | 0a             | block 0 (offset 6) metadata: metadata of 5 bytes overruns its structure",
      "1 | 10 | 10 | 00    | 09 | 02 0162 0131 0162 0132 | 00 | 0a             | block 0 (offset 6) metadata: entry 0 metadata: ",
      "2 | 10 | 12 | 00 02 | 00 |                  | 03       | 680a 690a      | multi-line count 3 out of range",
      "2 | 10 | 12 | 00 02 | 00 |                  | 01 02 01 | 680a 690a      | multi-line entry 2 out of range",
      "2 | 10 | 12 | 00 02 | 00 |                  | 02 00 01 00 01 | 680a 690a | multi-line entry 0 out of range",
      "2 | 10 | 12 | 00 02 | 00 |                  | 02 01 01 ffffffffffffffff7f 01 | 680a 690a | multi-line entry 9223372036854775807 out of range",
      "2 | 10 | 12 | 00 02 | 00 |                  | 01 00 7f | 680a 690a      | multi-line entry 0 line of 127 bytes overruns the body",
      "2 | 10 | 12 | 00 02 | 00 |                  | 01 00 02 | 680a 690a      | entry 0 multi-line line does not end with a line feed where its length says",
  })
  void rejectsAVersion2BodyThatBreaksARule(int entries, long minTs, long maxTs, String ts, String mdLength,
      String md, String multiLines, String lines, String reason) {
    byte[] body = HEX.parseHex((ts + mdLength + (md == null ? "" : md) + multiLines + lines).replace(" ", ""));
    byte[] chunk = ChunkGoldenBytesTest.oneBlockChunk(2, ChunkCodec.NONE.id(), minTs, maxTs, entries, body.length,
        body);
    String where = reason.startsWith("block 0") ? "" : "block 0 (offset 6): ";
    assertThatThrownBy(() -> ChunkReader.of("o", chunk).readBlock(0))
        .isInstanceOf(ChunkFormatException.class)
        .hasMessageStartingWith("chunk o: " + where + reason);
  }

  /**
   * Version 2 bodies with random bytes changed behind a valid CRC (the block is rebuilt around the
   * changed body): every one either reads or is refused with a ChunkFormatException, never another
   * exception.
   */
  @Test
  void aCorruptVersion2BodyBehindAValidChecksumIsAChunkFormatException() {
    Random r = new Random(2);
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      entries.add(new LogEntry(100 + i / 2, i % 4 == 3 ? "multi\nline " + i : "line " + i,
          i % 3 == 0 ? Labels.of("trace_id", "t" + i) : Labels.EMPTY));
    }
    byte[] plain = ChunkEncoder.encode("t", STREAM, entries, ChunkCodec.NONE, 1 << 16);
    BlockMeta b = ChunkReader.of("plain", plain).blocks().get(0);
    int from = (int) b.offset() + ChunkFormat.BLOCK_HEADER_SIZE;
    byte[] body = Arrays.copyOfRange(plain, from, from + b.rawLength());
    int refused = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] bad = body.clone();
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        bad[r.nextInt(bad.length)] = (byte) (r.nextInt(4) == 0 ? '\n' : r.nextInt(256));
      }
      byte[] chunk = ChunkGoldenBytesTest.oneBlockChunk(2, ChunkCodec.NONE.id(), b.minTs(), b.maxTs(), b.entries(),
          bad.length, bad);
      try {
        ChunkReader.of("o", chunk).readBlock(0);
      } catch (ChunkFormatException e) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(1000); // most changes break a rule; some only change a line
  }

  @Test
  void rejectsAVersion2BlockClaimingMoreEntriesThanItsBodyCanHold() {
    // 3 entries need at least 6 body bytes in version 2 (a delta and a length each)
    byte[] body = HEX.parseHex("000000" + "000000" + "00");
    byte[] chunk = ChunkGoldenBytesTest.oneBlockChunk(2, ChunkCodec.NONE.id(), 10, 10, 4, body.length, body);
    assertThatThrownBy(() -> ChunkReader.of("o", chunk))
        .isInstanceOf(ChunkFormatException.class)
        .hasMessage("chunk o: footer: block 0 claims 4 entries in 7 bytes");
  }

  /** Flipping any single byte is caught by a check, never by another kind of exception. */
  @ParameterizedTest
  @CsvSource({"2, NONE", "2, GZIP", "2, SNAPPY", "2, LZ4", "2, ZSTD", "1, NONE", "1, ZSTD"})
  void everySingleByteCorruptionIsAChunkFormatException(int version, ChunkCodec codec) {
    byte[] valid = validChunk(codec, version);
    Random r = new Random(codec.id());
    for (int i = 0; i < valid.length; i++) {
      byte[] bad = valid.clone();
      bad[i] ^= (byte) (1 + r.nextInt(255));
      assertThatThrownBy(() -> readAll(bad)).as("byte %d", i).isInstanceOf(ChunkFormatException.class);
    }
  }

  /** Every prefix of a chunk is refused, by either way of opening it. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
  void everyTruncationIsAChunkFormatException(int version) {
    byte[] valid = validChunk(ChunkCodec.ZSTD, version);
    for (int len = 0; len < valid.length; len++) {
      byte[] cut = Arrays.copyOf(valid, len);
      assertThatThrownBy(() -> readAll(cut)).as("length %d", len).isInstanceOf(ChunkFormatException.class);
      assertThatThrownBy(() -> ChunkReader.open("o", cut.length, (off, n) -> ChunkRoundTripTest.slice(cut, off, n))
          .entries(ScanDirection.FORWARD).forEachRemaining(e -> { }))
          .as("ranged length %d", len).isInstanceOf(ChunkFormatException.class);
    }
    assertThatCode(() -> readAll(valid)).doesNotThrowAnyException();
  }

  @Test
  void rejectsAShortReadFromTheStore() {
    byte[] chunk = validChunk(ChunkCodec.NONE);
    assertThatThrownBy(() -> ChunkReader.open("o", chunk.length, (off, len) -> new byte[len - 1]))
        .isInstanceOf(ChunkFormatException.class).hasMessageStartingWith("chunk o: short read of the tail");
  }

  @Test
  void theEncoderRefusesWhatWouldMakeABadChunk() {
    ChunkEncoder enc = new ChunkEncoder("t", STREAM, ChunkCodec.NONE, 100);
    assertThatThrownBy(enc::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one entry");
    enc.append(new LogEntry(5, "a"));
    assertThatThrownBy(() -> enc.append(new LogEntry(4, "b")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp order");
    enc.append(new LogEntry(5, "same timestamp is fine"));
    enc.finish();
    assertThatThrownBy(() -> enc.append(new LogEntry(6, "c"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new ChunkEncoder("t", STREAM, ChunkCodec.NONE, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChunkEncoder("", STREAM, ChunkCodec.NONE, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"none, NONE", "gzip, GZIP", "snappy, SNAPPY", "lz4, LZ4", "zstd, ZSTD", "ZSTD, ZSTD", "' lz4 ', LZ4"})
  void codecNamesParse(String name, ChunkCodec codec) {
    assertThat(ChunkCodec.parse(name)).isEqualTo(codec);
  }

  @Test
  void anUnknownCodecNameListsTheValidOnes() {
    assertThatThrownBy(() -> ChunkCodec.parse("brotli"))
        .hasMessage("unknown chunk encoding \"brotli\" (valid: none, gzip, snappy, lz4, zstd)");
  }

  private static void readAll(byte[] chunk) {
    ChunkReader reader = ChunkReader.of("o", chunk);
    for (int i = 0; i < reader.blocks().size(); i++) {
      reader.readBlock(i);
    }
  }

  private static byte[] validChunk(ChunkCodec codec) {
    return validChunk(codec, ChunkFormat.VERSION);
  }

  private static byte[] validChunk(ChunkCodec codec, int version) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      entries.add(new LogEntry(1_000 + i * 7L, "level=info msg=\"request " + i + "\" status=200",
          i % 3 == 0 ? Labels.of("trace_id", "t" + i) : Labels.EMPTY));
    }
    ChunkEncoder enc = new ChunkEncoder("fake", STREAM, codec, 400, ChunkCodec.DEFAULT_ZSTD_LEVEL, version);
    entries.forEach(enc::append);
    return enc.finish();
  }
}
