package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests: random entries (unicode, empty lines, metadata, equal and extreme timestamps) read
 * back exactly, forward and backward, whole and by time range, from memory and by byte ranges.
 */
class ChunkRoundTripTest {
  private static final Labels STREAM = Labels.of("app", "api", "env", "prod");

  static Stream<Arguments> seedsByCodec() {
    List<Arguments> out = new ArrayList<>();
    for (int version : new int[] {ChunkFormat.VERSION, ChunkFormat.VERSION_1}) {
      for (ChunkCodec codec : ChunkCodec.values()) {
        for (long seed = 1; seed <= 12; seed++) {
          out.add(Arguments.of(version, codec, seed * 7919 + codec.id() + 100 * version));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "v{0} {1} seed {2}")
  @MethodSource("seedsByCodec")
  void randomEntriesReadBackExactly(int version, ChunkCodec codec, long seed) {
    Random r = new Random(seed);
    List<LogEntry> entries = randomEntries(r, 1 + r.nextInt(400));
    int blockSize = 1 + r.nextInt(4096);
    ChunkEncoder encoder = new ChunkEncoder("tenant-" + seed, STREAM, codec, blockSize, 1 + r.nextInt(19), version);
    entries.forEach(encoder::append);
    byte[] chunk = encoder.finish();
    assertThat(chunk[4]).isEqualTo((byte) version);

    ChunkReader inMemory = ChunkReader.of("mem", chunk);
    assertThat(toList(inMemory.entries(ScanDirection.FORWARD))).isEqualTo(entries);
    List<LogEntry> reversed = new ArrayList<>(entries);
    Collections.reverse(reversed);
    assertThat(toList(inMemory.entries(ScanDirection.BACKWARD))).isEqualTo(reversed);

    ChunkFooter f = inMemory.footer();
    assertThat(f.version()).isEqualTo(version);
    assertThat(f.tenant()).isEqualTo("tenant-" + seed);
    assertThat(f.labels()).isEqualTo(STREAM);
    assertThat(f.entries()).isEqualTo(entries.size());
    assertThat(f.minTs()).isEqualTo(entries.get(0).timestampNanos());
    assertThat(f.maxTs()).isEqualTo(entries.get(entries.size() - 1).timestampNanos());
    assertThat(f.blocks().stream().mapToInt(BlockMeta::entries).sum()).isEqualTo(entries.size());

    ChunkReader ranged = ChunkReader.open("ranged", chunk.length, (off, len) -> slice(chunk, off, len));
    assertThat(ranged.footer()).isEqualTo(f);
    long from = pick(r, entries);
    long through = pick(r, entries);
    if (from > through) {
      long t = from;
      from = through;
      through = t;
    }
    final long lo = from;
    final long hi = through;
    List<LogEntry> inRange = entries.stream().filter(e -> e.timestampNanos() >= lo && e.timestampNanos() < hi).toList();
    assertThat(toList(ranged.entries(ScanDirection.FORWARD, lo, hi))).isEqualTo(inRange);
    List<LogEntry> inRangeBackward = new ArrayList<>(inRange);
    Collections.reverse(inRangeBackward);
    assertThat(toList(ranged.entries(ScanDirection.BACKWARD, lo, hi))).isEqualTo(inRangeBackward);
  }

  @ParameterizedTest
  @EnumSource(ChunkCodec.class)
  void blocksAreCutOnceTheirBodyReachesTheBlockSize(ChunkCodec codec) {
    // each entry: delta (1 byte) + 98 line bytes + a line feed = 100 bytes, plus 2 bytes per block
    // (metadata column length 0, multi-line count 0); at a block size of 1000, the 10th entry takes
    // a block to 1002 bytes
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      entries.add(new LogEntry(i, "x".repeat(98)));
    }
    ChunkReader reader = ChunkReader.of("cut", ChunkEncoder.encode("t", STREAM, entries, codec, 1000));
    assertThat(reader.blocks()).extracting(BlockMeta::entries).containsExactly(10, 10, 5);
    assertThat(reader.blocks()).extracting(BlockMeta::rawLength).containsExactly(1002, 1002, 502);
    assertThat(reader.blocks()).extracting(BlockMeta::minTs).containsExactly(0L, 10L, 20L);
    assertThat(reader.blocks()).extracting(BlockMeta::maxTs).containsExactly(9L, 19L, 24L);
  }

  @Test
  void aRangeScanFetchesOnlyTheFooterAndTheBlocksItNeeds() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      entries.add(new LogEntry(1000L * i, String.format("line %03d", i)));
    }
    // body bytes: 2 (metadata column length, multi-line count) + the first entry of a block 1 + 8 + 1,
    // the next ones 2 + 8 + 1 (a 2-byte delta of 1000, the line, a line feed): 10 entries make
    // 111 >= 110, 9 make 100: block k holds ts 10000k .. 10000k + 9000
    byte[] chunk = ChunkEncoder.encode("t", STREAM, entries, ChunkCodec.SNAPPY, 110);
    List<long[]> reads = new ArrayList<>();
    ChunkReader reader = ChunkReader.open("c", chunk.length, (off, len) -> {
      reads.add(new long[] {off, len});
      return slice(chunk, off, len);
    });
    assertThat(reader.blocks()).hasSize(10);
    assertThat(reads).hasSize(1); // the tail holds the whole footer
    reads.clear();

    List<LogEntry> got = toList(reader.entries(ScanDirection.FORWARD, 35_000, 52_000));
    assertThat(got).extracting(LogEntry::timestampNanos)
        .containsExactly(35_000L, 36_000L, 37_000L, 38_000L, 39_000L, 40_000L, 41_000L, 42_000L, 43_000L,
            44_000L, 45_000L, 46_000L, 47_000L, 48_000L, 49_000L, 50_000L, 51_000L);
    BlockMeta b3 = reader.blocks().get(3);
    BlockMeta b5 = reader.blocks().get(5);
    assertThat(reads).extracting(a -> a[0]).containsExactly(b3.offset(), reader.blocks().get(4).offset(), b5.offset());
    assertThat(reads).extracting(a -> a[1]).containsExactly((long) b3.length(),
        (long) reader.blocks().get(4).length(), (long) b5.length());
  }

  @Test
  void aFooterLongerThanTheFirstTailReadTakesOneMoreRead() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      entries.add(new LogEntry(i, "e" + i));
    }
    // block size 1: one block per entry, a footer of more than 400 * 36 bytes > the 8 KiB tail read
    byte[] chunk = ChunkEncoder.encode("t", STREAM, entries, ChunkCodec.NONE, 1);
    List<Integer> lengths = new ArrayList<>();
    ChunkReader reader = ChunkReader.open("big-footer", chunk.length, (off, len) -> {
      lengths.add(len);
      return slice(chunk, off, len);
    });
    assertThat(reader.blocks()).hasSize(400);
    assertThat(lengths).hasSize(2).first().isEqualTo(ChunkReader.TAIL_READ);
    assertThat(toList(reader.entries(ScanDirection.BACKWARD)).get(0)).isEqualTo(entries.get(399));
  }

  @Test
  void aChunkSmallerThanTheTailReadIsReadWholeOnce() {
    byte[] chunk = ChunkEncoder.encode("t", STREAM, List.of(new LogEntry(5, "only")), ChunkCodec.LZ4, 1024);
    List<long[]> reads = new ArrayList<>();
    ChunkReader reader = ChunkReader.open("small", chunk.length, (off, len) -> {
      reads.add(new long[] {off, len});
      return slice(chunk, off, len);
    });
    assertThat(reads).hasSize(1);
    assertThat(reads.get(0)).containsExactly(0L, chunk.length);
    assertThat(toList(reader.entries(ScanDirection.FORWARD))).containsExactly(new LogEntry(5, "only"));
  }

  @Test
  void aRangeInsideOneBlockSkipsTheEntriesAroundIt() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(new LogEntry(i, "line " + i, i % 3 == 0 ? Labels.EMPTY : Labels.of("trace_id", "t" + (i % 2))));
    }
    ChunkReader reader = ChunkReader.of("one-block", ChunkEncoder.encode("t", STREAM, entries, ChunkCodec.LZ4, 1 << 20));
    assertThat(reader.blocks()).hasSize(1);
    assertThat(toList(reader.entries(ScanDirection.FORWARD, 3, 7))).containsExactlyElementsOf(entries.subList(3, 7));
    assertThat(toList(reader.entries(ScanDirection.BACKWARD, 3, 7)))
        .containsExactly(entries.get(6), entries.get(5), entries.get(4), entries.get(3));
    assertThat(toList(reader.entries(ScanDirection.FORWARD, 7, 7))).isEmpty();
    assertThat(toList(reader.entries(ScanDirection.FORWARD, 9, Long.MAX_VALUE))).containsExactly(entries.get(9));
  }

  @Test
  void repeatedMetadataDecodesToEqualLabelsAndChangedMetadataIsNotReused() {
    List<LogEntry> entries = List.of(
        new LogEntry(1, "a", Labels.of("trace_id", "1")),
        new LogEntry(2, "b", Labels.of("trace_id", "1")),
        new LogEntry(3, "c", Labels.of("trace_id", "2")),
        new LogEntry(4, "d"),
        new LogEntry(5, "e", Labels.of("trace_id", "2")),
        new LogEntry(6, "f", Labels.of("span", "x", "trace_id", "2")));
    byte[] chunk = ChunkEncoder.encode("t", STREAM, entries, ChunkCodec.ZSTD, 1 << 16);
    assertThat(toList(ChunkReader.of("md", chunk).entries(ScanDirection.FORWARD))).isEqualTo(entries);
  }

  /** The block data is what zstd itself makes of the body at the requested level. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 9, 19, 22})
  void theZstdLevelReachesTheCompressor(int level) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      entries.add(new LogEntry(i * 1000L, "level=info msg=\"request served\" path=/api/v1/item/" + (i % 37)
          + " status=" + (200 + i % 3) + " took=" + (i * 7 % 113) + "ms"));
    }
    byte[] chunk = ChunkEncoder.encode("t", STREAM, entries, ChunkCodec.ZSTD, 1 << 20, level);
    byte[] plain = ChunkEncoder.encode("t", STREAM, entries, ChunkCodec.NONE, 1 << 20);
    BlockMeta b = ChunkReader.of("plain", plain).blocks().get(0);
    assertThat(ChunkReader.of("plain", plain).blocks()).hasSize(1);
    byte[] body = Arrays.copyOfRange(plain, (int) b.offset() + ChunkFormat.BLOCK_HEADER_SIZE,
        (int) b.offset() + ChunkFormat.BLOCK_HEADER_SIZE + b.rawLength());
    byte[] expected = com.github.luben.zstd.Zstd.compress(body, level);
    BlockMeta z = ChunkReader.of("level", chunk).blocks().get(0);
    assertThat(Arrays.copyOfRange(chunk, (int) z.offset() + ChunkFormat.BLOCK_HEADER_SIZE,
        (int) z.offset() + z.length() - 4)).isEqualTo(expected);
    assertThat(toList(ChunkReader.of("level", chunk).entries(ScanDirection.FORWARD))).isEqualTo(entries);
  }

  @Test
  void aZstdLevelOutsideZstdsRangeIsRefused() {
    List<LogEntry> one = List.of(new LogEntry(1, "x"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> ChunkEncoder.encode("t", STREAM, one, ChunkCodec.ZSTD, 1024, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..22");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new ChunkEncoder("t", STREAM, ChunkCodec.ZSTD, 1024, 23))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 23");
  }

  static List<LogEntry> randomEntries(Random r, int n) {
    long ts = switch (r.nextInt(3)) {
      case 0 -> Long.MIN_VALUE + r.nextInt(1000);
      case 1 -> 1_795_132_800_000_000_000L;
      default -> -r.nextInt(1_000_000);
    };
    List<LogEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(100)) {
        case 0 -> ts += (r.nextLong() >>> 3); // a huge gap; may land at Long.MAX_VALUE
        default -> ts += r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000_000); // a third are equal timestamps
      }
      if (ts < 0 && out.size() > 0 && out.get(out.size() - 1).timestampNanos() > 0) {
        ts = Long.MAX_VALUE; // overflowed: stay sorted, at the very end
      }
      Labels md = switch (r.nextInt(4)) {
        case 0 -> Labels.of("trace_id", randomString(r, 16));
        case 1 -> Labels.of("pod", "p-" + r.nextInt(3), "trace_id", "t" + r.nextInt(2));
        default -> Labels.EMPTY;
      };
      out.add(new LogEntry(ts, randomString(r, r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(300)), md));
    }
    out.sort(Comparator.comparingLong(LogEntry::timestampNanos));
    return out;
  }

  /** Mixed ASCII, accents, CJK, emoji (surrogate pairs), control characters and quotes. */
  static String randomString(Random r, int n) {
    int[] pool = {'a', 'Z', '0', ' ', '"', '\\', '\n', '\t', 0, 'é', 'ß', 'ж', '中', '文', 0x1F600, 0x1F680, 0x10FFFF};
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.appendCodePoint(r.nextInt(3) == 0 ? pool[r.nextInt(pool.length)] : 'a' + r.nextInt(26));
    }
    return sb.toString();
  }

  private static long pick(Random r, List<LogEntry> entries) {
    long ts = entries.get(r.nextInt(entries.size())).timestampNanos();
    return r.nextBoolean() ? ts : ts == Long.MAX_VALUE ? ts : ts + 1;
  }

  static byte[] slice(byte[] b, long off, int len) {
    return Arrays.copyOfRange(b, (int) off, (int) off + len);
  }

  static List<LogEntry> toList(Iterator<LogEntry> it) {
    List<LogEntry> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
