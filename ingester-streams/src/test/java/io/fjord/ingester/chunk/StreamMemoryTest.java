package io.fjord.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamMemoryTest {
  /** Cut blocks at 100 line bytes, seal chunks at 1 MiB (never, unless a test says otherwise). */
  private static final ChunkSettings SMALL_BLOCKS =
      new ChunkSettings(100, 1 << 20, Duration.ofMinutes(30), Duration.ofHours(2));

  private final StreamMemory stream = new StreamMemory(StreamKey.of("t", Labels.of("app", "a")), SMALL_BLOCKS);

  static LogEntry e(long ts, String line) {
    return new LogEntry(ts, line);
  }

  /** Ten-byte lines: ten of them fill a 100-byte block. */
  static String line10(long i) {
    return String.format("line-%05d", i);
  }

  static List<String> read(StreamMemory s, long start, long end, boolean forward, int limit) {
    EntryCursor c = new EntryCursor(s.snapshot(start, end), start, end, forward);
    List<String> out = new ArrayList<>();
    while (out.size() < limit && c.next()) {
      out.add(c.ts() + ":" + c.line());
    }
    return out;
  }

  static List<String> readAll(StreamMemory s) {
    return read(s, Long.MIN_VALUE, Long.MAX_VALUE, true, Integer.MAX_VALUE);
  }

  @Test
  void appendsInOrderAndReadsBack() {
    AppendResult r = stream.append(List.of(e(1, "a"), e(2, "b"), e(3, "c")), 0, 0);

    assertThat(r).isEqualTo(new AppendResult(3, 0));
    assertThat(readAll(stream)).containsExactly("1:a", "2:b", "3:c");
    assertThat(stream.minTs()).isEqualTo(1);
    assertThat(stream.maxTs()).isEqualTo(3);
    assertThat(stream.entryCount()).isEqualTo(3);
  }

  @Test
  void cutsTheHeadIntoABlockAtTheBlockSize() {
    for (int i = 0; i < 9; i++) {
      stream.append(List.of(e(i, line10(i))), i, 0);
    }
    assertThat(stream.chunks()).singleElement().satisfies(c -> {
      assertThat(c.blocks()).isZero();
      assertThat(c.headEntries()).isEqualTo(9);
    });

    stream.append(List.of(e(9, line10(9))), 9, 0); // the 100th line byte
    stream.append(List.of(e(10, line10(10))), 10, 0);

    assertThat(stream.chunks()).singleElement().satisfies(c -> {
      assertThat(c.blocks()).isEqualTo(1);
      assertThat(c.headEntries()).isEqualTo(1);
      assertThat(c.entries()).isEqualTo(11);
      assertThat(c.sealed()).isNull();
    });
    assertThat(readAll(stream)).hasSize(11).first().isEqualTo("0:" + line10(0));
  }

  @Test
  void insertsOutOfOrderEntriesInPlace() {
    stream.append(List.of(e(30, "c"), e(10, "a")), 0, 0);
    stream.append(List.of(e(20, "b"), e(40, "d"), e(5, "first")), 1, 0);

    assertThat(readAll(stream)).containsExactly("5:first", "10:a", "20:b", "30:c", "40:d");
  }

  @Test
  void anEntryOlderThanASealedBlockGoesToTheHeadAndReadsMergeIt() {
    for (int i = 0; i < 10; i++) { // one full block: ts 100..1000
      stream.append(List.of(e(100 * (i + 1), line10(i))), i, 0);
    }
    assertThat(stream.chunks().get(0).blocks()).isEqualTo(1);

    stream.append(List.of(e(550, "late"), e(50, "very late"), e(2000, "new")), 10, 0);

    List<String> all = readAll(stream);
    assertThat(all).hasSize(13);
    assertThat(all.subList(0, 2)).containsExactly("50:very late", "100:" + line10(0));
    assertThat(all.subList(6, 8)).containsExactly("550:late", "600:" + line10(5));
    assertThat(all.get(12)).isEqualTo("2000:new");
    assertThat(read(stream, 0, Long.MAX_VALUE, false, 3)).containsExactly("2000:new", "1000:" + line10(9),
        "900:" + line10(8));
  }

  @Test
  void dropsDuplicatesOfTheSameTimestampAndLine() {
    stream.append(List.of(e(1, "a"), e(2, "b")), 0, 0);

    AppendResult redelivered = stream.append(List.of(e(1, "a"), e(2, "b"), e(3, "c")), 1, 0);
    AppendResult withinOneBatch = stream.append(List.of(e(4, "d"), e(4, "d")), 2, 0);

    assertThat(redelivered).isEqualTo(new AppendResult(1, 2));
    assertThat(withinOneBatch).isEqualTo(new AppendResult(1, 1));
    assertThat(readAll(stream)).containsExactly("1:a", "2:b", "3:c", "4:d");
  }

  @Test
  void dropsDuplicatesOfEntriesAlreadySealedIntoBlocks() {
    List<LogEntry> batch = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      batch.add(e(i, line10(i)));
    }
    stream.append(batch, 0, 0);
    assertThat(stream.chunks().get(0).blocks()).isEqualTo(1);

    AppendResult retry = stream.append(batch, 1, 0); // a client retry of the same push

    assertThat(retry).isEqualTo(new AppendResult(0, 12));
    assertThat(readAll(stream)).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void keepsEqualTimestampsWithDifferentLinesInArrivalOrder() {
    stream.append(List.of(e(5, "first"), e(5, "second")), 0, 0);
    stream.append(List.of(e(9, "later"), e(5, "third")), 1, 0);

    assertThat(readAll(stream)).containsExactly("5:first", "5:second", "5:third", "9:later");
    assertThat(read(stream, 0, 100, false, 10)).containsExactly("9:later", "5:third", "5:second", "5:first");
  }

  @Test
  void keepsArrivalOrderOfEqualTimestampsAcrossBlocks() {
    // ten entries at ts 7 fill a block; two more at ts 7 stay in the head
    for (int i = 0; i < 12; i++) {
      stream.append(List.of(e(7, line10(i))), i, 0);
    }
    assertThat(stream.chunks().get(0).blocks()).isEqualTo(1);

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      expected.add("7:" + line10(i));
    }
    assertThat(readAll(stream)).containsExactlyElementsOf(expected);
    List<String> reversed = new ArrayList<>(expected);
    java.util.Collections.reverse(reversed);
    assertThat(read(stream, 0, 100, false, 100)).containsExactlyElementsOf(reversed);
  }

  @ParameterizedTest(name = "[{0},{1}) forward={2} limit={3}")
  @CsvSource({
      // 30 entries at ts 0,10,...,290: three blocks and an empty head
      "0,   300, true,  1000, 0,   290, 30",
      "0,   300, true,  5,    0,   40,  5",
      "0,   300, false, 5,    290, 250, 5",
      "100, 200, true,  1000, 100, 190, 10",
      "100, 200, false, 1000, 190, 100, 10",
      "105, 106, true,  1000, -1,  -1,  0",
      "95,  125, false, 2,    120, 110, 2",
      "290, 291, true,  1000, 290, 290, 1"})
  void scansARangeInEitherDirectionWithALimit(long start, long end, boolean forward, int limit, long first,
      long last, int count) {
    for (int i = 0; i < 30; i++) {
      stream.append(List.of(e(i * 10L, line10(i))), i, 0);
    }
    List<String> got = read(stream, start, end, forward, limit);

    assertThat(got).hasSize(count);
    if (count > 0) {
      assertThat(got.get(0)).startsWith(first + ":");
      assertThat(got.get(count - 1)).startsWith(last + ":");
    }
  }

  @Test
  void skipsBlocksOutsideTheRangeWithoutDecompressingThem() {
    for (int i = 0; i < 100; i++) { // ten blocks of ten entries: block k holds ts 100k..100k+90
      stream.append(List.of(e(i * 10L, line10(i))), i, 0);
    }
    StreamSnapshot snapshot = stream.snapshot(520, 540);
    assertThat(snapshot.blocks()).hasSize(1);

    EntryCursor c = new EntryCursor(snapshot, 520, 540, true);
    List<Long> ts = new ArrayList<>();
    while (c.next()) {
      ts.add(c.ts());
    }
    assertThat(ts).containsExactly(520L, 530L);
    assertThat(c.blocksDecoded()).isEqualTo(1);
  }

  @Test
  void aLimitedWalkDecompressesOnlyTheBlocksItReaches() {
    for (int i = 0; i < 100; i++) {
      stream.append(List.of(e(i * 10L, line10(i))), i, 0);
    }
    EntryCursor backward = new EntryCursor(stream.snapshot(0, 1000), 0, 1000, false);
    for (int i = 0; i < 15; i++) {
      assertThat(backward.next()).isTrue();
    }
    assertThat(backward.ts()).isEqualTo(850);
    assertThat(backward.blocksDecoded()).isEqualTo(2);
  }

  @Test
  void sealsAChunkWhenItsBlocksReachTheTargetSize() {
    StreamMemory s = new StreamMemory(StreamKey.of("t", Labels.of("a", "b")),
        new ChunkSettings(100, 1, Duration.ofMinutes(30), Duration.ofHours(2)));
    for (int i = 0; i < 15; i++) {
      s.append(List.of(e(i, line10(i))), i, 0);
    }

    assertThat(s.chunks()).hasSize(2);
    assertThat(s.chunks().get(0).sealed()).isEqualTo(SealReason.FULL);
    assertThat(s.chunks().get(0).entries()).isEqualTo(10);
    assertThat(s.chunks().get(1).sealed()).isNull();
    assertThat(s.chunks().get(1).entries()).isEqualTo(5);
    assertThat(readAll(s)).hasSize(15);
  }

  @Test
  void sealsIdleAndOldChunksCuttingTheirHead() {
    stream.append(List.of(e(1, "a")), 0, 1_000);
    assertThat(stream.sealIfDue(1_000 + Duration.ofMinutes(30).toMillis() - 1)).isNull();

    assertThat(stream.sealIfDue(1_000 + Duration.ofMinutes(30).toMillis())).isEqualTo(SealReason.IDLE);
    assertThat(stream.chunks()).singleElement().satisfies(c -> {
      assertThat(c.blocks()).isEqualTo(1);
      assertThat(c.headEntries()).isZero();
    });

    long t = 10_000_000;
    for (int i = 0; i < 130; i++) { // one entry a minute keeps the chunk from going idle
      stream.append(List.of(e(100 + i, "x" + i)), 1 + i, t + i * 60_000L);
      stream.sealIfDue(t + i * 60_000L);
    }
    assertThat(stream.chunks()).extracting(StreamMemory.ChunkInfo::sealed)
        .containsExactly(SealReason.IDLE, SealReason.MAX_AGE, null);
    assertThat(readAll(stream)).hasSize(131);
  }

  @Test
  void remembersTheFirstUnflushedOffset() {
    PartitionMemory partition = new PartitionMemory(3, SMALL_BLOCKS);
    assertThat(partition.replayOffset()).isEqualTo(-1);

    partition.getOrCreate(StreamKey.of("t", Labels.of("app", "x"))).append(List.of(e(1, "a")), 42, 0);
    partition.getOrCreate(StreamKey.of("t", Labels.of("app", "y"))).append(List.of(e(1, "a")), 17, 0);
    partition.getOrCreate(StreamKey.of("t", Labels.of("app", "y"))).append(List.of(e(2, "b")), 50, 0);

    assertThat(partition.get(StreamKey.of("t", Labels.of("app", "x"))).firstUnflushedOffset()).isEqualTo(42);
    assertThat(partition.replayOffset()).isEqualTo(17);
  }

  @Test
  void readersSeeConsistentSnapshotsWhileTheWriterAppends() throws Exception {
    int total = 5_000;
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> problem = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      long lastCount = 0;
      while (!done.get() && problem.get() == null) {
        List<String> seen = readAll(stream);
        if (seen.size() < lastCount) {
          problem.set("a snapshot lost entries: " + seen.size() + " after " + lastCount);
        }
        for (int i = 0; i < seen.size(); i++) {
          if (!seen.get(i).equals(i + ":" + line10(i))) {
            problem.set("entry " + i + " was " + seen.get(i));
            break;
          }
        }
        lastCount = seen.size();
      }
    });
    reader.start();
    for (int i = 0; i < total; i++) {
      stream.append(List.of(e(i, line10(i))), i, 0);
    }
    done.set(true);
    reader.join();

    assertThat(problem.get()).isNull();
    assertThat(readAll(stream)).hasSize(total);
  }

  @Test
  void aFullChunkIsSealedOnlyAtTheEndOfTheRecordThatFilledIt() {
    // blocks of 100 line bytes, chunks sealed at 1 compressed byte: the first cut fills the chunk
    StreamMemory s = new StreamMemory(StreamKey.of("t", Labels.of("app", "a")),
        new ChunkSettings(100, 1, Duration.ofMinutes(30), Duration.ofHours(2)));
    List<LogEntry> record = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      record.add(e(i, line10(i))); // 250 line bytes: the head is cut after the 10th entry
    }

    s.append(record, 7, 0);
    s.append(List.of(e(100, "next record")), 8, 0);

    List<StreamMemory.ChunkInfo> chunks = s.chunks();
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).entries()).isEqualTo(25); // the whole record, not cut at the 10th entry
    assertThat(chunks.get(0).sealed()).isEqualTo(SealReason.FULL);
    assertThat(List.of(chunks.get(0).firstOffset(), chunks.get(0).lastOffset())).containsExactly(7L, 7L);
    assertThat(chunks.get(1).sealed()).isNull();
    assertThat(List.of(chunks.get(1).firstOffset(), chunks.get(1).lastOffset())).containsExactly(8L, 8L);
    assertThat(s.takeSealed()).singleElement().satisfies(c -> {
      assertThat(c.reason()).isEqualTo(SealReason.FULL);
      assertThat(c.entryCount()).isEqualTo(25);
    });
    assertThat(s.takeSealed()).isEmpty(); // handed out once
  }

  @Test
  void refusesEntriesOlderThanTheNewestMinusHalfTheMaxChunkAge() {
    // max age 2h: the window is 1h behind the stream's newest entry
    long hour = Duration.ofHours(1).toNanos();
    long newest = 10 * hour;
    stream.append(List.of(e(newest, "newest")), 0, 0);

    AppendResult r = stream.append(List.of(e(newest - hour, "just inside"), e(newest - hour - 1, "too old"),
        e(newest - 3 * hour, "much too old"), e(newest - 1, "fine")), 1, 0);

    assertThat(r).isEqualTo(new AppendResult(2, 0, 2, "too old".length() + "much too old".length()));
    assertThat(readAll(stream)).containsExactly((newest - hour) + ":just inside", (newest - 1) + ":fine",
        newest + ":newest");
  }

  @Test
  void flushedChunksAreLeftOutWhenExcludedAndDroppedAfterTheRetainPeriod() {
    stream.append(List.of(e(1, "a"), e(2, "b")), 0, 0);
    stream.sealOpen(SealReason.FORCED);
    SealedChunk sealed = stream.takeSealed().get(0);
    stream.append(List.of(e(3, "c")), 1, 0); // the open chunk
    sealed.markFlushed("t/chunks/k1", 1_000);

    assertThat(read(stream, 0, 10, true, 10, java.util.Set.of("t/chunks/k1"))).containsExactly("3:c");
    assertThat(read(stream, 0, 10, true, 10, java.util.Set.of("t/chunks/other"))).containsExactly("1:a", "2:b", "3:c");
    assertThat(stream.firstUnflushedOffset()).isEqualTo(1);
    assertThat(stream.flushedThroughOffset()).isEqualTo(0);

    assertThat(stream.dropFlushed(60_999, 60_000)).isZero(); // not yet
    assertThat(stream.dropFlushed(61_000, 60_000)).isEqualTo(1);
    assertThat(readAll(stream)).containsExactly("3:c");
    assertThat(stream.minTs()).isEqualTo(3);
    assertThat(stream.entryCount()).isEqualTo(1);
    assertThat(stream.flushedThroughOffset()).isEqualTo(0); // remembered after the drop
  }

  static List<String> read(StreamMemory s, long start, long end, boolean forward, int limit,
      java.util.Set<String> exclude) {
    EntryCursor c = new EntryCursor(s.snapshot(start, end, exclude), start, end, forward);
    List<String> out = new ArrayList<>();
    while (out.size() < limit && c.next()) {
      out.add(c.ts() + ":" + c.line());
    }
    return out;
  }
}
