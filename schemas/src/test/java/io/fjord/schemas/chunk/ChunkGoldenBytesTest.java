package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chunk format's bytes (version 2, which the encoder writes, and version 1, which readers still
 * read), written out by hand from schemas/FORMATS.md. CRC32C values were computed
 * by an independent bitwise implementation; compressed block data was made by independent tools
 * (Python's gzip module, the zstd command line tool) or written by hand from the snappy and LZ4 block
 * format specifications.
 */
class ChunkGoldenBytesTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Version 2: tenant "t", {a="b"}, codec none, one block of three entries (ts 1, "hi"),
   * (ts 3, "yo", {k="v"}), (ts 3, "a\nb").
   */
  private static final String V2_ONE_BLOCK_NONE = ""
      // header: magic "FJCK", version 2, codec 0 (none)
      + "464a434b" + "02" + "00"
      // block 0 @6: entries 3, minTs 1, maxTs 3, raw 24, data 24
      + "00000003" + "0000000000000001" + "0000000000000003" + "00000018" + "00000018"
      //   timestamp deltas 0, 2, 0
      + "00" + "02" + "00"
      //   metadata column of 7 bytes: none; 1 pair k="v"; none
      + "07" + "00" + "01" + "016b" + "0176" + "00"
      //   1 line holds a line feed: entry 2 (delta from 0), 3 bytes long
      + "01" + "02" + "03"
      //   the lines, each ended by a line feed: "hi" "yo" "a\nb"; then crc32c
      + "68690a" + "796f0a" + "610a620a" + "8708c214"
      // footer @62: magic, version 2, codec, 1 block
      + "464a434b" + "02" + "00" + "01"
      //   offset 6, length 56, minTs 1, maxTs 3, entries 3, raw 24
      + "0000000000000006" + "00000038" + "0000000000000001" + "0000000000000003" + "00000003" + "00000018"
      //   tenant "t", 1 label a="b", minTs 1, maxTs 3, 3 entries
      + "0174" + "01" + "0161" + "0162" + "0000000000000001" + "0000000000000003" + "03"
      // trailer: footer length 67, footer crc32c
      + "00000043" + "d83e29b8";

  private static final List<LogEntry> THREE_ENTRIES = List.of(
      new LogEntry(1, "hi"),
      new LogEntry(3, "yo", Labels.of("k", "v")),
      new LogEntry(3, "a\nb"));

  /**
   * Version 2, the entries of {@link #TWO_ENTRIES} with block size 4: each entry fills a block; the
   * first block has no metadata column (length 0).
   */
  private static final String V2_TWO_BLOCKS_NONE = ""
      + "464a434b" + "02" + "00"
      // block 0 @6: 1 entry at 1, raw 6: delta 0, no metadata column, no multi-line, "hi" LF; crc32c
      + "00000001" + "0000000000000001" + "0000000000000001" + "00000006" + "00000006"
      + "00" + "00" + "00" + "68690a" + "c08ef02e"
      // block 1 @44: 1 entry at 3, raw 9: delta 0, metadata column of 5 bytes k="v", no multi-line, "" LF
      + "00000001" + "0000000000000003" + "0000000000000003" + "00000009" + "00000009"
      + "00" + "05" + "01" + "016b" + "0176" + "00" + "0a" + "7490c97e"
      // footer @85
      + "464a434b" + "02" + "00" + "02"
      + "0000000000000006" + "00000026" + "0000000000000001" + "0000000000000001" + "00000001" + "00000006"
      + "000000000000002c" + "00000029" + "0000000000000003" + "0000000000000003" + "00000001" + "00000009"
      + "0174" + "01" + "0161" + "0162" + "0000000000000001" + "0000000000000003" + "02"
      + "00000067" + "a59d90f1";

  /** Version 1: tenant "t", {a="b"}, codec none, block size 4: each entry fills a block of its own. */
  private static final String TWO_BLOCKS_NONE = ""
      // header: magic "FJCK", version 1, codec 0 (none)
      + "464a434b" + "01" + "00"
      // block 0 @6: entries 1, minTs 1, maxTs 1, raw 5, data 5
      + "00000001" + "0000000000000001" + "0000000000000001" + "00000005" + "00000005"
      //   body: tsDelta 0, line "hi", no metadata; then crc32c
      + "00" + "026869" + "00" + "9c34ef0e"
      // block 1 @43: entries 1, minTs 3, maxTs 3, raw 7, data 7
      + "00000001" + "0000000000000003" + "0000000000000003" + "00000007" + "00000007"
      //   body: tsDelta 0, line "", one metadata pair k="v"; then crc32c
      + "00" + "00" + "01" + "016b" + "0176" + "e884bcf8"
      // footer @82: magic, version, codec, 2 blocks
      + "464a434b" + "01" + "00" + "02"
      //   offset 6, length 37, minTs 1, maxTs 1, entries 1, raw 5
      + "0000000000000006" + "00000025" + "0000000000000001" + "0000000000000001" + "00000001" + "00000005"
      //   offset 43, length 39, minTs 3, maxTs 3, entries 1, raw 7
      + "000000000000002b" + "00000027" + "0000000000000003" + "0000000000000003" + "00000001" + "00000007"
      //   tenant "t", 1 label a="b", minTs 1, maxTs 3, 2 entries
      + "0174" + "01" + "0161" + "0162" + "0000000000000001" + "0000000000000003" + "02"
      // trailer: footer length 103, footer crc32c
      + "00000067" + "de390616";

  private static final List<LogEntry> TWO_ENTRIES = List.of(
      new LogEntry(1, "hi"),
      new LogEntry(3, "", Labels.of("k", "v")));

  @Test
  void encodesTheHandWrittenVersion2Bytes() {
    byte[] chunk = ChunkEncoder.encode("t", Labels.of("a", "b"), THREE_ENTRIES, ChunkCodec.NONE, 1024);
    assertThat(HEX.formatHex(chunk)).isEqualTo(V2_ONE_BLOCK_NONE);
    byte[] twoBlocks = ChunkEncoder.encode("t", Labels.of("a", "b"), TWO_ENTRIES, ChunkCodec.NONE, 4);
    assertThat(HEX.formatHex(twoBlocks)).isEqualTo(V2_TWO_BLOCKS_NONE);
  }

  @Test
  void decodesTheHandWrittenVersion2Bytes() {
    ChunkReader reader = ChunkReader.of("golden", HEX.parseHex(V2_ONE_BLOCK_NONE));
    ChunkFooter f = reader.footer();
    assertThat(f.version()).isEqualTo(2);
    assertThat(f.codec()).isEqualTo(ChunkCodec.NONE);
    assertThat(f.tenant()).isEqualTo("t");
    assertThat(f.labels()).isEqualTo(Labels.of("a", "b"));
    assertThat(f.entries()).isEqualTo(3);
    assertThat(f.blocks()).containsExactly(new BlockMeta(0, 6, 56, 1, 3, 3, 24));
    assertThat(reader.readBlock(0)).containsExactlyElementsOf(THREE_ENTRIES);
    ChunkReader two = ChunkReader.of("golden2", HEX.parseHex(V2_TWO_BLOCKS_NONE));
    assertThat(two.readBlock(0)).containsExactly(TWO_ENTRIES.get(0));
    assertThat(two.readBlock(1)).containsExactly(TWO_ENTRIES.get(1));
  }

  @Test
  void encodesTheHandWrittenVersion1BytesOnRequest() {
    ChunkEncoder enc = new ChunkEncoder("t", Labels.of("a", "b"), ChunkCodec.NONE, 4, 3, ChunkFormat.VERSION_1);
    TWO_ENTRIES.forEach(enc::append);
    assertThat(HEX.formatHex(enc.finish())).isEqualTo(TWO_BLOCKS_NONE);
  }

  @Test
  void decodesTheHandWrittenVersion1Bytes() {
    ChunkReader reader = ChunkReader.of("golden", HEX.parseHex(TWO_BLOCKS_NONE));
    ChunkFooter f = reader.footer();
    assertThat(f.version()).isEqualTo(1);
    assertThat(f.codec()).isEqualTo(ChunkCodec.NONE);
    assertThat(f.tenant()).isEqualTo("t");
    assertThat(f.labels()).isEqualTo(Labels.of("a", "b"));
    assertThat(f.minTs()).isEqualTo(1);
    assertThat(f.maxTs()).isEqualTo(3);
    assertThat(f.entries()).isEqualTo(2);
    assertThat(f.blocks()).containsExactly(
        new BlockMeta(0, 6, 37, 1, 1, 1, 5),
        new BlockMeta(1, 43, 39, 3, 3, 1, 7));
    assertThat(reader.readBlock(0)).containsExactly(TWO_ENTRIES.get(0));
    assertThat(reader.readBlock(1)).containsExactly(TWO_ENTRIES.get(1));
  }

  /**
   * One block holding the entry (ts 10, "abcdabcdabcdabcd"), body {@code 00 10 61626364 x4 00}
   * (19 bytes), compressed by something other than the encoder.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // Python: gzip.compress(body, mtime=0)
      "GZIP, 1f8b08000000000002036310484c4a4e41c60c00b3b89df013000000",
      // by hand: length 19; literal(6) 0010 61626364; copy(len 12, offset 4); literal(1) 00
      "SNAPPY, 13 14 0010 61626364 2e 0400 00 00",
      // by hand: token(6 literals, match 8) 0010 61626364, offset 4; token(5 literals) 61626364 00
      "LZ4, 64 0010 61626364 0400 50 61626364 00",
      // zstd 1.5.4 command line: zstd -q -c body.bin
      "ZSTD, 28b52ffd24136d00003800106162636400010073ae08d2b70b94",
      "NONE, 0010 61626364 61626364 61626364 61626364 00",
  })
  void decodesBlocksCompressedByOtherTools(ChunkCodec codec, String dataHex) {
    byte[] data = HEX.parseHex(dataHex.replace(" ", ""));
    byte[] chunk = oneBlockChunk(codec.id(), 10, 10, 1, 19, data);
    ChunkReader reader = ChunkReader.of("golden-" + codec, chunk);
    assertThat(reader.footer().codec()).isEqualTo(codec);
    assertThat(reader.readBlock(0)).containsExactly(new LogEntry(10, "abcdabcdabcdabcd"));
  }

  /**
   * Version 2: one block holding the entry (ts 10, "abcdabcdabcdabcd"), body
   * {@code 00 00 00 61626364 x4 0a} (20 bytes), compressed by something other than the encoder.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // Python: gzip.compress(body, mtime=0)
      "GZIP, 1f8b0800000000000203636060484c4a4e41c65c00575f36eb14000000",
      // zstd 1.5.4 command line: zstd -q -c body.bin
      "ZSTD, 28b52ffd241475000040000000616263640a010073ce08b09f76f8",
      "NONE, 00 00 00 61626364 61626364 61626364 61626364 0a",
  })
  void decodesVersion2BlocksCompressedByOtherTools(ChunkCodec codec, String dataHex) {
    byte[] data = HEX.parseHex(dataHex.replace(" ", ""));
    byte[] chunk = oneBlockChunk(2, codec.id(), 10, 10, 1, 20, data);
    ChunkReader reader = ChunkReader.of("golden-v2-" + codec, chunk);
    assertThat(reader.footer().version()).isEqualTo(2);
    assertThat(reader.readBlock(0)).containsExactly(new LogEntry(10, "abcdabcdabcdabcd"));
  }

  @Test
  void codecIdsAreThoseTheFormatDocumentNames() {
    assertThat(ChunkCodec.NONE.id()).isZero();
    assertThat(ChunkCodec.GZIP.id()).isEqualTo(1);
    assertThat(ChunkCodec.SNAPPY.id()).isEqualTo(2);
    assertThat(ChunkCodec.LZ4.id()).isEqualTo(3);
    assertThat(ChunkCodec.ZSTD.id()).isEqualTo(4);
  }

  /**
   * Lays out a one-block chunk (tenant "t", {a="b"}) from the format document, independently of the
   * encoder: the block data is given, the CRCs come from the JDK.
   */
  static byte[] oneBlockChunk(int codecId, long minTs, long maxTs, int entries, int rawLength, byte[] data) {
    return oneBlockChunk(1, codecId, minTs, maxTs, entries, rawLength, data);
  }

  /** As {@link #oneBlockChunk(int, long, long, int, int, byte[])} in format {@code version}. */
  static byte[] oneBlockChunk(int version, int codecId, long minTs, long maxTs, int entries, int rawLength,
      byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HEX.parseHex("464a434b"));
    out.write(version);
    out.write(codecId);
    byte[] block = concat(u32(entries), i64(minTs), i64(maxTs), u32(rawLength), u32(data.length), data);
    out.writeBytes(block);
    out.writeBytes(crc(block));
    byte[] footer = concat(HEX.parseHex("464a434b"), new byte[] {(byte) version, (byte) codecId, 1},
        i64(6), u32(block.length + 4), i64(minTs), i64(maxTs), u32(entries), u32(rawLength),
        HEX.parseHex("0174" + "01" + "0161" + "0162"), i64(minTs), i64(maxTs), new byte[] {(byte) entries});
    out.writeBytes(footer);
    out.writeBytes(u32(footer.length));
    out.writeBytes(crc(footer));
    return out.toByteArray();
  }

  private static byte[] crc(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b);
    return u32((int) c.getValue());
  }

  private static byte[] u32(int v) {
    return java.nio.ByteBuffer.allocate(4).putInt(v).array();
  }

  private static byte[] i64(long v) {
    return java.nio.ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
