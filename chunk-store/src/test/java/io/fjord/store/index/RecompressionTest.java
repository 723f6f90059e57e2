package io.fjord.store.index;

import static io.fjord.store.index.ObjectStoreChunkIndexTest.API;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.DAY;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.HOUR;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.NOON;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.TODAY;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.WEB;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.chunk.BlockMeta;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStoreUnavailableException;
import io.fjord.store.index.StoreBackends.Backend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The compactor's recompression of old chunks on both stores, with real chunks (zstd level 3, as
 * flushed) and a clock the tests move: the copies are smaller, the index names them, their entries
 * are the originals, a second run does nothing, and a compactor dying at each step of the swap
 * leaves every entry readable exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecompressionTest {
  private static final int BLOCK = 16 * 1024;
  private static final int LINES = 800;
  private StoreBackends backends;
  private final MutableClock clock = new MutableClock(NOON);

  @BeforeAll
  void start(@TempDir Path dir) {
    backends = new StoreBackends(dir);
  }

  @AfterAll
  void stop() throws Exception {
    backends.close();
  }

  /** Recompression after 6h at level 19, no rate limit; compaction_delete_delay 5m, retention_delete_delay 2h. */
  private static CompactorConfig config() {
    return CompactorConfig.defaults().withRecompression(Duration.ofHours(6), 19, 0);
  }

  private IndexCompactor compactor(ObjectStore store, CompactorConfig config, ChunkRecompressor.Encoder encoder) {
    return new IndexCompactor(store, ChunkIndexConfig.defaults(), config, RetentionPolicy.KEEP_FOREVER, clock,
        new ByteRateLimiter(0, System::nanoTime, n -> {}), encoder);
  }

  private IndexCompactor compactor(ObjectStore store) {
    return compactor(store, config(), ChunkRecompressor.ZSTD);
  }

  /** Log lines with the repetition real logs have, from a fixed seed. */
  static List<LogEntry> lines(long from, int n, int seed) {
    Random r = new Random(seed);
    String[] paths = {"/api/v1/users", "/api/v1/orders", "/healthz", "/api/v1/search", "/static/app.js"};
    String[] levels = {"info", "info", "info", "warn", "error"};
    List<LogEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String line = "level=" + levels[r.nextInt(levels.length)] + " method=GET path=" + paths[r.nextInt(paths.length)]
          + "/" + r.nextInt(5000) + " status=" + (r.nextInt(10) == 0 ? 500 : 200) + " duration_ms=" + r.nextInt(900)
          + " trace_id=" + Long.toHexString(r.nextLong()) + " user_agent=\"Mozilla/5.0 (X11; Linux x86_64)\"";
      Labels md = i % 7 == 0 ? Labels.of("trace", Integer.toString(i)) : Labels.EMPTY;
      out.add(new LogEntry(from + i * 1_000_000L, line, md));
    }
    return out;
  }

  /** Stores a chunk as the ingester flushes it (zstd level 3) and returns its reference. */
  static ChunkRef flush(ObjectStore store, String tenant, Labels labels, List<LogEntry> entries) {
    byte[] bytes = ChunkEncoder.encode(tenant, labels, entries, ChunkCodec.ZSTD, BLOCK, 3);
    ChunkKey key = ChunkKey.of(ChunkReader.of("new", bytes).footer(), bytes);
    store.put(key.key(), bytes);
    return new ChunkRef(key, labels, bytes.length, entries.size());
  }

  /** Every entry the index lists for the tenant over {@code days}, read back chunk by chunk by ranges, by chunk from. */
  private Map<Long, List<LogEntry>> readAll(ObjectStore store, String tenant, long fromDay, long toDay) {
    Map<Long, List<LogEntry>> out = new HashMap<>();
    try (ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock)) {
      for (ChunkRef r : index.chunks(tenant, at(fromDay, 0), at(toDay + 1, 0))) {
        List<LogEntry> entries = new ArrayList<>();
        ChunkReader.open(r.key(), r.bytes(), store.ranges(r.key())).entries(ScanDirection.FORWARD)
            .forEachRemaining(entries::add);
        assertThat(out.put(r.fingerprint() ^ r.fromNanos(), entries)).as("chunk listed twice: %s", r).isNull();
      }
    }
    return out;
  }

  private List<ChunkRef> refs(ObjectStore store, String tenant, long day) {
    try (ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock)) {
      return index.chunks(tenant, at(day, 0), at(day + 1, 0));
    }
  }

  private static Set<String> chunkObjects(ObjectStore store, String tenant) {
    return new TreeSet<>(store.list(tenant + "/chunks/"));
  }

  private record Flushed(List<ChunkRef> refs, Map<Long, List<LogEntry>> entries) {}

  /** Two streams, two chunks each, all on {@code day} between 01:00 and 03:00. */
  private Flushed flushDay(ObjectStore store, String tenant, long day) {
    List<ChunkRef> refs = new ArrayList<>();
    Map<Long, List<LogEntry>> entries = new HashMap<>();
    int seed = 0;
    for (Labels labels : List.of(API, WEB)) {
      for (long start : new long[] {at(day, 1), at(day, 2)}) {
        List<LogEntry> e = lines(start, LINES, seed++);
        ChunkRef r = flush(store, tenant, labels, e);
        refs.add(r);
        entries.put(r.fingerprint() ^ r.fromNanos(), e);
      }
    }
    try (ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock)) {
      index.add(refs.subList(0, 2));
      index.add(refs.subList(2, 4)); // two part objects
    }
    return new Flushed(refs, entries);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void oldChunksAreRewrittenSmallerUnderNewKeysWithTheSameEntriesAndOldObjectsGoAfterTheDelays(Backend backend)
      throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    Flushed f = flushDay(store, "fake", TODAY - 3);
    Set<String> oldObjects = chunkObjects(store, "fake");
    long oldBytes = f.refs().stream().mapToLong(ChunkRef::bytes).sum();

    IndexCompactor compactor = compactor(store);
    CompactionReport report = compactor.runOnce();

    assertThat(report.chunksRecompressed()).isEqualTo(4);
    assertThat(report.recompressFailures()).isZero();
    assertThat(report.recompressedBytesBefore()).isEqualTo(oldBytes);
    assertThat(report.recompressedBytesAfter()).isLessThan(oldBytes);
    List<ChunkRef> now = refs(store, "fake", TODAY - 3);
    assertThat(now).hasSize(4);
    for (ChunkRef r : now) {
      assertThat(oldObjects).doesNotContain(r.key());
      ChunkRef before = f.refs().stream().filter(o -> o.fromNanos() == r.fromNanos() && o.fingerprint() == r.fingerprint())
          .findFirst().orElseThrow();
      assertThat(r.bytes()).isLessThan(before.bytes());
      assertThat(r.entries()).isEqualTo(LINES);
      assertThat(store.get(r.key()).orElseThrow()).hasSize((int) r.bytes());
    }
    assertThat(readAll(store, "fake", TODAY - 3, TODAY - 3)).isEqualTo(f.entries());
    assertThat(compactor.recompressionStats().chunks()).isEqualTo(4);
    assertThat(compactor.recompressionStats().bytesAfter()).isEqualTo(report.recompressedBytesAfter());
    // the old chunks stay while readers may still name them
    assertThat(chunkObjects(store, "fake")).containsAll(oldObjects).hasSize(8);

    CompactionReport again = compactor.runOnce();
    assertThat(again.chunksRecompressed()).isZero();
    assertThat(again.changedAnything()).isFalse();

    clock.advance(Duration.ofMinutes(6)); // compaction_delete_delay: the old index objects go
    CompactionReport settled = compactor.runOnce();
    assertThat(settled.objectsDeleted()).isEqualTo(2);
    assertThat(settled.chunksDeleted()).isZero();
    assertThat(chunkObjects(store, "fake")).hasSize(8);
    assertThat(store.list("fake/index/" + (TODAY - 3) + "/")).singleElement().asString().contains("/r-");

    clock.advance(Duration.ofHours(2)); // retention_delete_delay: the old chunk objects go
    CompactionReport deleted = compactor.runOnce();
    assertThat(deleted.chunksDeleted()).isEqualTo(4);
    assertThat(chunkObjects(store, "fake")).doesNotContainAnyElementsOf(oldObjects).hasSize(4);
    assertThat(readAll(store, "fake", TODAY - 3, TODAY - 3)).isEqualTo(f.entries());
    assertThat(compactor.runOnce().changedAnything()).isFalse();
  }

  @Test
  void aPeriodIsRecompressedOnceItEndedRecompressAfterAgoLeavingChunksThatRunIntoTheNext() throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(Backend.LOCAL);
    Flushed f = flushDay(store, "fake", TODAY);
    // one that runs past midnight, 30 minutes into the next day
    ChunkRef late = flush(store, "fake", API, lines(at(TODAY, 24) - 60_000_000_000L, 2, 99));
    ChunkRef spanning = new ChunkRef(new ChunkKey("fake", late.fingerprint(), late.fromNanos(),
        at(TODAY + 1, 0) + 30 * 60_000_000_000L, late.chunk().checksum()), API, late.bytes(), late.entries());
    try (ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock)) {
      index.add(List.of(spanning)); // its object is not needed: chunks running into the next period are left alone
    }
    // the day ends at TODAY+1 00:00; with 6h, it is due from 06:00 the day after
    clock.set(Instant.ofEpochSecond(0, (TODAY + 1) * DAY + 6 * HOUR - 1));
    assertThat(compactor(store).runOnce().chunksRecompressed()).isZero();
    assertThat(refs(store, "fake", TODAY)).hasSize(5).containsAll(f.refs());

    clock.advance(Duration.ofNanos(1));
    CompactionReport report = compactor(store).runOnce();
    assertThat(report.chunksRecompressed()).isEqualTo(4);
    assertThat(report.recompressFailures()).isZero();
    assertThat(refs(store, "fake", TODAY)).contains(spanning).hasSize(5).doesNotContainAnyElementsOf(f.refs());
    assertThat(refs(store, "fake", TODAY + 1)).containsExactly(spanning);
  }

  @ParameterizedTest
  @CsvSource({"1, 3", "0, 0", "64, 1"})
  void copiesAreCutIntoBlocksOfRecompressBlockSizeMbOrKeepTheChunksOwnAtZero(int mb, int expectedBlocks) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(Backend.LOCAL);
    // about 2.6 MB of lines (each ~170 bytes) flushed in 16 KB blocks
    List<LogEntry> entries = lines(at(TODAY - 3, 1), 16_000, 7);
    long raw = entries.stream().mapToLong(e -> e.line().getBytes(StandardCharsets.UTF_8).length).sum();
    assertThat(raw).isBetween(2L << 20, 3L << 20);
    ChunkRef old = flush(store, "fake", API, entries);
    try (ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock)) {
      index.add(List.of(old));
    }
    int oldBlocks = ChunkReader.of("old", store.get(old.key()).orElseThrow()).footer().blocks().size();
    assertThat(oldBlocks).isGreaterThan(100);

    CompactionReport report = compactor(store, config().withRecompressBlockSizeMb(mb), ChunkRecompressor.ZSTD).runOnce();

    assertThat(report.chunksRecompressed()).isEqualTo(1);
    ChunkRef copy = refs(store, "fake", TODAY - 3).get(0);
    List<BlockMeta> blocks = ChunkReader.of("copy", store.get(copy.key()).orElseThrow()).footer().blocks();
    if (mb == 0) { // each chunk's own: the copy's blocks are cut where the flush cut them
      assertThat(blocks).hasSize(oldBlocks);
    } else {
      assertThat(blocks).hasSize(expectedBlocks);
      for (BlockMeta b : blocks.subList(0, blocks.size() - 1)) {
        assertThat(b.rawLength()).isGreaterThanOrEqualTo(mb << 20).isLessThan((mb << 20) + 4096);
      }
    }
    assertThat(readAll(store, "fake", TODAY - 3, TODAY - 3)).containsExactly(
        Map.entry(copy.fingerprint() ^ copy.fromNanos(), entries));
  }

  @Test
  void aChunkSpanningTwoPeriodsIsLeftAsItIs() throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(Backend.LOCAL);
    ChunkRef midnight = flush(store, "fake", API, lines(at(TODAY - 3, 24) - 400_000_000L, LINES, 5));
    try (ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock)) {
      index.add(List.of(midnight));
    }
    CompactionReport report = compactor(store).runOnce();
    assertThat(report.chunksRecompressed()).isZero();
    assertThat(refs(store, "fake", TODAY - 3)).containsExactly(midnight);
    assertThat(refs(store, "fake", TODAY - 2)).containsExactly(midnight);
  }

  @Test
  void aCopyWhoseEntriesDifferIsNotSwappedAndIsCounted() throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(Backend.LOCAL);
    Flushed f = flushDay(store, "fake", TODAY - 3);
    Set<String> before = chunkObjects(store, "fake");
    ChunkRecompressor.Encoder dropsTheLastLine = (tenant, labels, entries, blockSize, level) -> {
      List<LogEntry> all = new ArrayList<>();
      entries.forEachRemaining(all::add);
      return ChunkRecompressor.ZSTD.encode(tenant, labels, all.subList(0, all.size() - 1).iterator(), blockSize, level);
    };
    IndexCompactor compactor = compactor(store, config(), dropsTheLastLine);

    CompactionReport report = compactor.runOnce();

    assertThat(report.recompressFailures()).isEqualTo(4);
    assertThat(report.chunksRecompressed()).isZero();
    assertThat(compactor.recompressionStats().failures()).isEqualTo(4);
    assertThat(chunkObjects(store, "fake")).isEqualTo(before);
    assertThat(refs(store, "fake", TODAY - 3)).containsExactlyInAnyOrderElementsOf(f.refs());
    assertThat(readAll(store, "fake", TODAY - 3, TODAY - 3)).isEqualTo(f.entries());
    // the period is done: the same failures are not paid for again every run
    assertThat(compactor.runOnce().recompressFailures()).isZero();
  }

  @Test
  void oneChangedCharacterInOneLineIsCaughtByTheDigest() throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(Backend.LOCAL);
    Flushed f = flushDay(store, "fake", TODAY - 3);
    ChunkRecompressor.Encoder changesOneLine = (tenant, labels, entries, blockSize, level) -> {
      List<LogEntry> all = new ArrayList<>();
      entries.forEachRemaining(all::add);
      LogEntry e = all.get(all.size() / 2);
      all.set(all.size() / 2, new LogEntry(e.timestampNanos(), e.line().replace("level=", "levek="), e.metadata()));
      return ChunkRecompressor.ZSTD.encode(tenant, labels, all.iterator(), blockSize, level);
    };
    CompactionReport report = compactor(store, config(), changesOneLine).runOnce();
    assertThat(report.recompressFailures()).isEqualTo(4);
    assertThat(report.chunksRecompressed()).isZero();
    assertThat(readAll(store, "fake", TODAY - 3, TODAY - 3)).isEqualTo(f.entries());
  }

  @Test
  void aCopyNoSmallerIsNotWrittenAndThePeriodIsStillDone() throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(Backend.LOCAL);
    Flushed f = flushDay(store, "fake", TODAY - 3);
    Set<String> before = chunkObjects(store, "fake");
    ChunkRecompressor.Encoder uncompressed = (tenant, labels, entries, blockSize, level) ->
        ChunkEncoder.encode(tenant, labels, entries, ChunkCodec.NONE, blockSize);
    IndexCompactor compactor = compactor(store, config(), uncompressed);
    CompactionReport report = compactor.runOnce();
    assertThat(report.chunksRecompressed()).isZero();
    assertThat(report.recompressFailures()).isZero();
    assertThat(compactor.recompressionStats().keptChunks()).isEqualTo(4);
    assertThat(chunkObjects(store, "fake")).isEqualTo(before);
    assertThat(refs(store, "fake", TODAY - 3)).containsExactlyInAnyOrderElementsOf(f.refs());
    assertThat(store.list("fake/index/" + (TODAY - 3) + "/")).filteredOn(k -> k.contains("/r-")).hasSize(1);
    assertThat(compactor.runOnce().changedAnything()).isFalse();
  }

  @Test
  void aRunStartsNoNewPeriodOnceCompactionIntervalHasPassedAndTheNextRunGoesOn() throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(Backend.LOCAL);
    Flushed older = flushDay(store, "fake", TODAY - 4);
    Flushed old = flushDay(store, "fake", TODAY - 3);
    ChunkRecompressor.Encoder slow = (tenant, labels, entries, blockSize, level) -> {
      clock.advance(Duration.ofMinutes(3)); // four chunks a day: the day takes 12 of the 10 minutes
      return ChunkRecompressor.ZSTD.encode(tenant, labels, entries, blockSize, level);
    };
    IndexCompactor compactor = compactor(store, config(), slow);
    assertThat(compactor.runOnce().chunksRecompressed()).isEqualTo(4); // the older day, whole; not the next
    assertThat(refs(store, "fake", TODAY - 4)).doesNotContainAnyElementsOf(older.refs());
    assertThat(refs(store, "fake", TODAY - 3)).containsExactlyInAnyOrderElementsOf(old.refs());
    assertThat(compactor.runOnce().chunksRecompressed()).isEqualTo(4);
    assertThat(refs(store, "fake", TODAY - 3)).doesNotContainAnyElementsOf(old.refs()).hasSize(4);
  }

  /** A store that refuses the first put whose key {@code dies} accepts, as a compactor dying there would. */
  private static CountingStore dyingAt(ObjectStore real, Predicate<String> dies) {
    AtomicLong died = new AtomicLong();
    return new CountingStore(real) {
      @Override
      public void put(String key, byte[] bytes) {
        if (dies.test(key) && died.getAndIncrement() == 0) {
          throw new ObjectStoreUnavailableException("compactor died before writing " + key, null);
        }
        super.put(key, bytes);
      }
    };
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void dyingBetweenTheNewObjectsAndTheSwapLeavesOrphansTheNextRunAdopts(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore real = backends.fresh(backend);
    Flushed f = flushDay(real, "fake", TODAY - 3);
    Set<String> oldObjects = chunkObjects(real, "fake");
    ObjectStore dying = dyingAt(real, k -> k.contains("/index/") && k.contains("/s-"));

    assertThatThrownBy(() -> compactor(dying).runOnce()).isInstanceOf(ObjectStoreUnavailableException.class);
    Set<String> orphans = new TreeSet<>(chunkObjects(real, "fake"));
    orphans.removeAll(oldObjects);
    assertThat(orphans).hasSize(4); // written, named by nothing
    assertThat(refs(real, "fake", TODAY - 3)).containsExactlyInAnyOrderElementsOf(f.refs());
    assertThat(readAll(real, "fake", TODAY - 3, TODAY - 3)).isEqualTo(f.entries());

    CompactionReport next = compactor(dying).runOnce();
    assertThat(next.chunksRecompressed()).isEqualTo(4);
    assertThat(refs(real, "fake", TODAY - 3)).extracting(ChunkRef::key).containsExactlyInAnyOrderElementsOf(orphans);
    assertThat(chunkObjects(real, "fake")).hasSize(8); // the orphans are the copies: nothing else was written
    assertThat(readAll(real, "fake", TODAY - 3, TODAY - 3)).isEqualTo(f.entries());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void dyingAfterTheMarkerBeforeTheReplacementKeepsTheOldChunksAndTheStaleMarkerIsDropped(Backend backend)
      throws Exception {
    clock.set(NOON);
    ObjectStore real = backends.fresh(backend);
    Flushed f = flushDay(real, "fake", TODAY - 3);
    Set<String> oldObjects = chunkObjects(real, "fake");
    ObjectStore dying = dyingAt(real, k -> k.contains("/index/") && k.contains("/r-"));

    assertThatThrownBy(() -> compactor(dying).runOnce()).isInstanceOf(ObjectStoreUnavailableException.class);
    // the marker is there, its replacement is not: readers keep reading the old objects, once
    assertThat(real.list("fake/index/" + (TODAY - 3) + "/")).filteredOn(k -> k.contains("/s-")).hasSize(1);
    assertThat(refs(real, "fake", TODAY - 3)).containsExactlyInAnyOrderElementsOf(f.refs());
    assertThat(readAll(real, "fake", TODAY - 3, TODAY - 3)).isEqualTo(f.entries());

    clock.advance(Duration.ofMinutes(1));
    assertThat(compactor(dying).runOnce().chunksRecompressed()).isEqualTo(4);
    clock.advance(Duration.ofMinutes(10)); // both markers due: the stale one deletes nothing, the other settles
    CompactionReport settled = compactor(dying).runOnce();
    assertThat(settled.objectsDeleted()).isEqualTo(2);
    assertThat(real.list("fake/index/" + (TODAY - 3) + "/")).singleElement().asString().contains("/r-");
    assertThat(readAll(real, "fake", TODAY - 3, TODAY - 3)).isEqualTo(f.entries());
    clock.advance(Duration.ofHours(3));
    assertThat(compactor(dying).runOnce().chunksDeleted()).isEqualTo(4);
    assertThat(chunkObjects(real, "fake")).doesNotContainAnyElementsOf(oldObjects).hasSize(4);
    assertThat(readAll(real, "fake", TODAY - 3, TODAY - 3)).isEqualTo(f.entries());
  }

  @Test
  void aLateChunkInARecompressedPeriodIsRecompressedAloneAndRetentionKeepsThePeriodDone() throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(Backend.LOCAL);
    CompactorConfig immediate = config().withCompactionDeleteDelay(Duration.ZERO);
    Flushed f = flushDay(store, "fake", TODAY - 3);
    IndexCompactor compactor = compactor(store, immediate, ChunkRecompressor.ZSTD);
    assertThat(compactor.runOnce().chunksRecompressed()).isEqualTo(4);
    assertThat(store.list("fake/index/" + (TODAY - 3) + "/")).singleElement().asString().contains("/r-");

    List<LogEntry> lateEntries = lines(at(TODAY - 3, 5), LINES, 42);
    ChunkRef late = flush(store, "fake", API, lateEntries); // a backfill into the done day
    try (ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock)) {
      index.add(List.of(late));
    }
    CompactionReport report = compactor.runOnce();
    assertThat(report.chunksRecompressed()).isEqualTo(1);
    assertThat(compactor.recompressionStats().keptChunks()).isZero(); // the four done ones were not encoded again
    Map<Long, List<LogEntry>> expected = new HashMap<>(f.entries());
    expected.put(late.fingerprint() ^ late.fromNanos(), lateEntries);
    assertThat(readAll(store, "fake", TODAY - 3, TODAY - 3)).isEqualTo(expected);

    // a rewrite by retention of a done period keeps it done
    CompactorConfig retention = new CompactorConfig(null, true, Duration.ofDays(30), Duration.ZERO, null, Duration.ZERO)
        .withRecompression(Duration.ofHours(6), 19, 0);
    assertThat(compactor(store, retention, ChunkRecompressor.ZSTD).runOnce().chunksRecompressed()).isZero();
    assertThat(store.list("fake/index/" + (TODAY - 3) + "/")).singleElement().asString().contains("/r-");
  }

  @Test
  void rateLimiterHoldsTheAverageToTheRate() throws Exception {
    AtomicLong now = new AtomicLong(1_000);
    AtomicLong slept = new AtomicLong();
    ByteRateLimiter limiter = new ByteRateLimiter(1_000_000, now::get, n -> {
      slept.addAndGet(n);
      now.addAndGet(n);
    });
    limiter.acquire(2_000_000); // the first request goes at once and is charged: 2 s
    assertThat(slept.get()).isZero();
    limiter.acquire(500_000); // waits those 2 s
    assertThat(slept.get()).isEqualTo(2_000_000_000L);
    now.addAndGet(3_000_000_000L); // idle for longer than the 0.5 s owed: no wait, no credit saved up
    limiter.acquire(1_000_000);
    limiter.acquire(1);
    assertThat(slept.get()).isEqualTo(3_000_000_000L);
    ByteRateLimiter unlimited = new ByteRateLimiter(0, now::get, n -> {
      throw new AssertionError("slept");
    });
    unlimited.acquire(Long.MAX_VALUE / 2);
  }

  @Test
  void configChecksTheRecompressionKeys() {
    CompactorConfig d = CompactorConfig.defaults();
    assertThat(d.recompressAfter()).isEqualTo(Duration.ofHours(6));
    assertThat(d.recompressZstdLevel()).isEqualTo(19);
    assertThat(d.recompressRateMb()).isEqualTo(1.0);
    assertThat(d.recompresses()).isTrue();
    assertThat(d.withRecompression(Duration.ZERO, 19, 4).recompresses()).isFalse();
    assertThat(d.chunkDeleteDelay()).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> d.withRecompression(Duration.ofMinutes(30), 19, 4))
        .hasMessageContaining("compactor.recompress_after");
    assertThatThrownBy(() -> d.withRecompression(Duration.ofHours(6), 23, 4))
        .hasMessageContaining("compactor.recompress_zstd_level");
    assertThatThrownBy(() -> d.withRecompression(Duration.ofHours(6), 19, -1))
        .hasMessageContaining("compactor.recompress_rate_mb");
    assertThat(d.recompressBlockSizeMb()).isEqualTo(2);
    assertThat(d.withRecompressBlockSizeMb(0).recompressBlockSizeMb()).isZero();
    assertThat(d.withRecompressBlockSizeMb(64).recompressBlockSizeMb()).isEqualTo(64);
    assertThatThrownBy(() -> d.withRecompressBlockSizeMb(-1)).hasMessageContaining("compactor.recompress_block_size_mb");
    assertThatThrownBy(() -> d.withRecompressBlockSizeMb(65)).hasMessageContaining("compactor.recompress_block_size_mb");
  }

  @Test
  void versionTwoMarkersRoundTripAndATruncatedOneIsRefused() {
    String r = IndexKeys.newKey("fake", 7, IndexKeys.Kind.RECOMPRESSED, 5, 6);
    String c = IndexKeys.newKey("fake", 7, IndexKeys.Kind.COMPACTED, 1, 2);
    ChunkKey chunk = new ChunkKey("fake", 0x1234, 10, 20, 0xabcdef);
    byte[] bytes = SupersededMarkers.encode(r, List.of(c), List.of(chunk));
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("fjord-superseded-marker 2\nby " + r + "\n" + c + "\nchunk "
        + "fake/chunks/0000000000001234/000000000000000a-0000000000000014-00abcdef\nend 1 1\n");
    SupersededMarkers.Supersession s = SupersededMarkers.decode("m", "fake", 7, bytes);
    assertThat(s.replacement()).contains(r);
    assertThat(s.superseded()).containsExactly(c);
    assertThat(s.chunks()).containsExactly(chunk);
    assertThat(s.writtenFirst()).isTrue();
    byte[] cut = text.replace("end 1 1\n", "end 1 0\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SupersededMarkers.decode("m", "fake", 7, cut)).isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("truncated");
    byte[] other = text.replace("chunk fake/", "chunk evil/").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SupersededMarkers.decode("m", "fake", 7, other)).isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("another tenant");
  }
}
