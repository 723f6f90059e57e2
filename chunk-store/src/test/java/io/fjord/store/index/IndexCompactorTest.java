package io.fjord.store.index;

import static io.fjord.store.index.ObjectStoreChunkIndexTest.API;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.NOON;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.TODAY;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.WEB;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.at;
import static io.fjord.store.index.ObjectStoreChunkIndexTest.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.labels.Labels;
import io.fjord.store.ObjectStore;
import io.fjord.store.index.StoreBackends.Backend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Compaction and retention of the index on both stores, with a clock the tests move. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexCompactorTest {
  private static final Duration WEEK = Duration.ofDays(7);
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

  private ObjectStoreChunkIndex index(ObjectStore store) {
    return ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock);
  }

  /** A compactor without recompression: these chunks are references only (RecompressionTest has real ones). */
  private IndexCompactor compactor(ObjectStore store, CompactorConfig config) {
    return new IndexCompactor(store, ChunkIndexConfig.defaults(), noRecompression(config), clock);
  }

  private static CompactorConfig noRecompression(CompactorConfig config) {
    return config.withRecompression(Duration.ZERO, config.recompressZstdLevel(), config.recompressRateMb());
  }

  /** Adds {@code n} chunks of {@code labels} to one day, one add (one part object) each. */
  private List<ChunkRef> addParts(ObjectStore store, String tenant, Labels labels, long day, int n) {
    List<ChunkRef> refs = new ArrayList<>();
    try (ObjectStoreChunkIndex writer = index(store)) {
      for (int i = 0; i < n; i++) {
        ChunkRef r = ref(tenant, labels, at(day, 1) + i * 1000L, at(day, 2) + i * 1000L);
        writer.add(List.of(r));
        refs.add(r);
      }
    }
    return refs;
  }

  private List<ChunkRef> query(ObjectStore store, String tenant, long fromDay, long toDay) {
    try (ObjectStoreChunkIndex reader = index(store)) {
      return reader.chunks(tenant, at(fromDay, 0), at(toDay + 1, 0));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void compactionLeavesOneObjectPerDueDayAndTheSameAnswers(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    List<ChunkRef> today = addParts(store, "fake", API, TODAY, 12); // over the 8 a recent day may hold
    List<ChunkRef> eight = addParts(store, "other", API, TODAY, 8); // at the bound: left alone
    List<ChunkRef> old = addParts(store, "fake", WEB, TODAY - 4, 2); // older days are compacted at two
    List<ChunkRef> before = query(store, "fake", TODAY - 10, TODAY);

    CompactionReport report = compactor(store, CompactorConfig.defaults()).runOnce();

    // the parts stay for compaction_delete_delay, named by a superseded marker beside the new object
    assertThat(kinds(store, "fake/index/20780/")).containsExactlyInAnyOrder(kindsOf(1, 12, 1));
    assertThat(kinds(store, "fake/index/20776/")).containsExactlyInAnyOrder(kindsOf(1, 2, 1));
    assertThat(store.list("other/index/20780/")).hasSize(8);
    assertThat(query(store, "fake", TODAY - 10, TODAY)).containsExactlyInAnyOrderElementsOf(before)
        .containsExactlyInAnyOrderElementsOf(concat(today, old));
    assertThat(query(store, "other", TODAY, TODAY)).containsExactlyInAnyOrderElementsOf(eight);
    assertThat(report.tenants()).isEqualTo(2);
    assertThat(report.periodsRewritten()).isEqualTo(2);
    assertThat(report.objectsWritten()).isEqualTo(2);
    assertThat(report.objectsDeleted()).isZero();
    assertThat(report.chunksDeleted()).isZero();
    assertThat(report.failures()).isEmpty();

    // a second run finds nothing to compact, and deletes nothing before the delay
    CompactionReport again = compactor(store, CompactorConfig.defaults()).runOnce();
    assertThat(again.changedAnything()).isFalse();
    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(compactor(store, CompactorConfig.defaults()).runOnce().changedAnything()).isFalse();
    assertThat(store.list("fake/index/20780/")).hasSize(14);

    clock.advance(Duration.ofMillis(1));
    CompactionReport settled = compactor(store, CompactorConfig.defaults()).runOnce();
    assertThat(settled.objectsDeleted()).isEqualTo(14);
    assertThat(settled.objectsWritten()).isZero();
    assertThat(store.list("fake/index/20780/")).hasSize(1).allMatch(k -> k.startsWith("fake/index/20780/c-"));
    assertThat(store.list("fake/index/20776/")).hasSize(1).allMatch(k -> k.startsWith("fake/index/20776/c-"));
    assertThat(query(store, "fake", TODAY - 10, TODAY)).containsExactlyInAnyOrderElementsOf(concat(today, old));
    assertThat(compactor(store, CompactorConfig.defaults()).runOnce().changedAnything()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void twoCompactorsAndAWriterRacingLoseNothingAndTheNextRunMerges(Backend backend) throws Exception {
    clock.set(NOON);
    CompactorConfig immediate = CompactorConfig.defaults().withCompactionDeleteDelay(Duration.ZERO);
    ObjectStore store = backends.fresh(backend);
    long day = TODAY - 3;
    List<ChunkRef> parts = addParts(store, "fake", API, day, 5);
    List<String> keys = store.list("fake/index/20777/");
    ChunkRef late = ref("fake", WEB, at(day, 5), at(day, 6));
    // compactor A has listed and read all but the last part when compactor B runs from start to end
    // and a writer adds a new part; A then finds its last part gone
    CountingStore seenByA = new CountingStore(store);
    AtomicBoolean raced = new AtomicBoolean();
    seenByA.beforeGet = key -> {
      if (key.equals(keys.get(keys.size() - 1)) && raced.compareAndSet(false, true)) {
        CompactionReport b = compactor(store, immediate).compactPeriod("fake", day);
        assertThat(b.objectsDeleted()).isEqualTo(5);
        try (ObjectStoreChunkIndex writer = index(store)) {
          writer.add(List.of(late));
        }
      }
    };
    CompactionReport a = compactor(seenByA, immediate).compactPeriod("fake", day);
    assertThat(raced).isTrue();
    assertThat(a.objectsRead()).isEqualTo(4);
    assertThat(a.objectsWritten()).isEqualTo(1);
    // B's compacted object, A's (the first four again) and the writer's part
    assertThat(store.list("fake/index/20777/")).hasSize(3);
    assertThat(query(store, "fake", day, day)).containsExactlyInAnyOrderElementsOf(concat(parts, List.of(late)));

    compactor(store, immediate).runOnce();
    assertThat(store.list("fake/index/20777/")).hasSize(1);
    assertThat(query(store, "fake", day, day)).containsExactlyInAnyOrderElementsOf(concat(parts, List.of(late)));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void retentionRemovesExpiredEntriesThenTheirChunksAfterTheDelayAndNothingYounger(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    long cutoff = at(TODAY - 7, 12); // noon today minus 7 days
    ChunkRef ancient = ref("fake", API, at(TODAY - 9, 1), at(TODAY - 9, 2)); // its day holds nothing else
    ChunkRef justExpired = ref("fake", API, at(TODAY - 7, 1), cutoff - 1);
    ChunkRef atCutoff = ref("fake", WEB, at(TODAY - 7, 2), cutoff); // not older than the period: kept
    ChunkRef spanning = ref("fake", WEB, at(TODAY - 8, 20), at(TODAY - 6, 1)); // ends after the cutoff
    ChunkRef recent = ref("fake", API, at(TODAY, 1), at(TODAY, 2));
    ChunkRef otherTenants = ref("other", API, at(TODAY - 9, 1), at(TODAY - 9, 2));
    List<ChunkRef> all = List.of(ancient, justExpired, atCutoff, spanning, recent, otherTenants);
    try (ObjectStoreChunkIndex writer = index(store)) {
      for (ChunkRef r : all) {
        store.put(r.key(), ("chunk " + r.key()).getBytes(StandardCharsets.UTF_8));
        writer.add(List.of(r));
      }
    }
    // the same week for both tenants
    IndexCompactor compactor = compactor(store, CompactorConfig.withRetention(WEEK, Duration.ofHours(2)));

    CompactionReport first = compactor.runOnce();
    assertThat(query(store, "fake", TODAY - 20, TODAY)).containsExactlyInAnyOrder(atCutoff, spanning, recent);
    assertThat(query(store, "other", TODAY - 20, TODAY)).isEmpty();
    assertThat(kinds(store, "fake/index/20771/")).as("a day of expired chunks only: its part and a marker")
        .containsExactlyInAnyOrder(kindsOf(0, 1, 1));
    assertThat(first.refsExpired()).isEqualTo(3);
    assertThat(first.chunksDeleted()).isZero();
    for (ChunkRef r : all) {
      assertThat(store.get(r.key())).as("chunks stay for the delete delay: %s", r.key()).isPresent();
    }

    clock.advance(Duration.ofHours(2).minusMillis(1));
    CompactionReport second = compactor.runOnce();
    assertThat(second.chunksDeleted()).isZero();
    // the chunk that ended exactly at the first cutoff is older than the period now
    assertThat(second.refsExpired()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    CompactionReport later = compactor.runOnce();
    assertThat(later.chunksDeleted()).isEqualTo(3);
    for (ChunkRef gone : List.of(ancient, justExpired, otherTenants)) {
      assertThat(store.get(gone.key())).as(gone.key()).isEmpty();
    }
    for (ChunkRef kept : List.of(atCutoff, spanning, recent)) {
      assertThat(store.get(kept.key())).as(kept.key()).isPresent();
    }
    assertThat(store.list("fake/index/20771/")).as("the part went after compaction_delete_delay").isEmpty();
    assertThat(store.list("other/")).isEmpty();
    // out of the index, its object deleted only after its own delay
    assertThat(query(store, "fake", TODAY - 20, TODAY)).containsExactlyInAnyOrder(spanning, recent);
    assertThat(store.list("fake/retention/")).hasSize(1);
    clock.advance(Duration.ofHours(2));
    assertThat(compactor.runOnce().chunksDeleted()).isEqualTo(1);
    assertThat(store.get(atCutoff.key())).isEmpty();
    assertThat(store.list("fake/retention/")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void eachTenantKeepsItsOwnPeriodAndZeroKeepsForever(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    // "fake" keeps a week, "other" forever (0s), "third" the 30-day default
    RetentionPolicy policy = RetentionPolicy.perTenant(Duration.ofDays(30),
        Map.of("fake", WEEK, "other", Duration.ZERO));
    ChunkRef weekOld = ref("fake", API, at(TODAY - 9, 1), at(TODAY - 9, 2)); // 9 days > a week: expires
    ChunkRef fakeKept = ref("fake", API, at(TODAY - 5, 1), at(TODAY - 5, 2));
    ChunkRef fakeAtCutoff = ref("fake", WEB, at(TODAY - 7, 1), at(TODAY - 7, 12)); // exactly a week: kept
    ChunkRef veryOld = ref("other", API, at(TODAY - 400, 1), at(TODAY - 400, 2)); // kept forever
    ChunkRef thirdExpired = ref("third", API, at(TODAY - 31, 1), at(TODAY - 31, 2)); // 31 days > 30
    ChunkRef thirdNineDays = ref("third", API, at(TODAY - 9, 1), at(TODAY - 9, 2)); // "fake" would drop it
    ChunkRef thirdAtCutoff = ref("third", WEB, at(TODAY - 30, 1), at(TODAY - 30, 12)); // exactly 30 days
    List<ChunkRef> all = List.of(weekOld, fakeKept, fakeAtCutoff, veryOld, thirdExpired, thirdNineDays,
        thirdAtCutoff);
    try (ObjectStoreChunkIndex writer = index(store)) {
      for (ChunkRef r : all) {
        store.put(r.key(), ("chunk " + r.key()).getBytes(StandardCharsets.UTF_8));
        writer.add(List.of(r));
      }
    }
    CompactorConfig config = CompactorConfig.withRetention(Duration.ZERO, Duration.ofHours(2));
    IndexCompactor compactor = new IndexCompactor(store, ChunkIndexConfig.defaults(), noRecompression(config), policy, clock);

    CompactionReport first = compactor.runOnce();
    assertThat(first.refsExpired()).isEqualTo(2);
    assertThat(query(store, "fake", TODAY - 500, TODAY)).containsExactlyInAnyOrder(fakeKept, fakeAtCutoff);
    assertThat(query(store, "other", TODAY - 500, TODAY)).containsExactly(veryOld);
    assertThat(query(store, "third", TODAY - 500, TODAY)).containsExactlyInAnyOrder(thirdNineDays, thirdAtCutoff);

    clock.advance(Duration.ofHours(2));
    CompactionReport later = compactor.runOnce();
    assertThat(later.chunksDeleted()).isEqualTo(2);
    assertThat(store.get(weekOld.key())).isEmpty();
    assertThat(store.get(thirdExpired.key())).isEmpty();
    for (ChunkRef kept : List.of(fakeKept, veryOld, thirdNineDays)) {
      assertThat(store.get(kept.key())).as(kept.key()).isPresent();
    }
    // two hours on, the two chunks that ended exactly at the first cutoffs are older than their periods
    assertThat(later.refsExpired()).isEqualTo(2);
    assertThat(query(store, "other", TODAY - 500, TODAY)).containsExactly(veryOld);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aPerTenantPolicyDeletesNothingWhileRetentionIsDisabled(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    List<ChunkRef> refs = addParts(store, "fake", API, TODAY - 400, 2);
    CompactorConfig disabled = new CompactorConfig(null, false, null, null, null, null);
    CompactionReport report = new IndexCompactor(store, ChunkIndexConfig.defaults(), noRecompression(disabled),
        RetentionPolicy.uniform(WEEK), clock).runOnce();
    assertThat(report.refsExpired()).isZero();
    assertThat(query(store, "fake", TODAY - 400, TODAY - 400)).containsExactlyInAnyOrderElementsOf(refs);
  }

  @Test
  void retentionPolicyRefusesPeriodsUnderLokisFloorNamingTheTenant() {
    assertThat(RetentionPolicy.perTenant(WEEK, Map.of("a", Duration.ZERO)).retentionPeriod("a")).isZero();
    assertThat(RetentionPolicy.perTenant(WEEK, Map.of("a", Duration.ZERO)).retentionPeriod("b")).isEqualTo(WEEK);
    assertThat(RetentionPolicy.KEEP_FOREVER.retentionPeriod("a")).isZero();
    assertThatThrownBy(() -> RetentionPolicy.perTenant(WEEK, Map.of("team-a", Duration.ofHours(23))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenant 'team-a'").hasMessageContaining("at least 24h");
    assertThatThrownBy(() -> RetentionPolicy.uniform(Duration.ofHours(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void withRetentionOffNothingIsEverDeletedButIndexObjects(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    List<ChunkRef> refs = addParts(store, "fake", API, TODAY - 400, 3);
    for (ChunkRef r : refs) {
      store.put(r.key(), new byte[] {1});
    }
    CompactionReport report = compactor(store, new CompactorConfig(null, false, Duration.ofDays(30), null, null, null))
        .runOnce();
    assertThat(report.refsExpired()).isZero();
    assertThat(query(store, "fake", TODAY - 400, TODAY - 400)).containsExactlyInAnyOrderElementsOf(refs);
    assertThat(store.list("fake/chunks/")).hasSize(3);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aCorruptObjectStopsOnlyItsOwnDayAndIsReported(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    addParts(store, "fake", API, TODAY - 5, 2);
    List<ChunkRef> fine = addParts(store, "fake", API, TODAY - 6, 2);
    String bad = IndexKeys.newKey("fake", TODAY - 5, IndexKeys.Kind.PART, 1, 1);
    store.put(bad, "garbage".getBytes(StandardCharsets.UTF_8));
    store.put("fake/index/20775/not-an-index-object", new byte[] {1}); // not ours: never read or deleted

    CompactionReport report = compactor(store, CompactorConfig.defaults()).runOnce();

    assertThat(report.failures()).singleElement().asString().startsWith("chunk index object " + bad + ": ");
    assertThat(store.list("fake/index/20775/")).hasSize(4); // two parts, the corrupt one, the stranger
    assertThat(kinds(store, "fake/index/20774/")).containsExactlyInAnyOrder(kindsOf(1, 2, 1));
    clock.advance(CompactorConfig.DEFAULT_COMPACTION_DELETE_DELAY);
    assertThat(compactor(store, CompactorConfig.defaults()).runOnce().failures()).hasSize(1);
    assertThat(store.list("fake/index/20775/")).hasSize(4);
    assertThat(store.list("fake/index/20774/")).hasSize(1);
    assertThat(query(store, "fake", TODAY - 6, TODAY - 6)).containsExactlyInAnyOrderElementsOf(fine);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theServiceRunsAtStartAndStopsOnClose(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    addParts(store, "fake", API, TODAY - 2, 3);
    AtomicInteger runs = new AtomicInteger();
    CountingStore counting = new CountingStore(store) {
      @Override
      public List<String> listPrefixes(String prefix) {
        if (prefix.isEmpty()) {
          runs.incrementAndGet();
        }
        return super.listPrefixes(prefix);
      }
    };
    try (CompactorService service = CompactorService.start(compactor(counting, CompactorConfig.defaults()))) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> service.runs() >= 1);
      assertThat(service.lastReport().objectsWritten()).isEqualTo(1);
      assertThat(service.failedRuns()).isZero();
    }
    int after = runs.get();
    assertThat(after).isEqualTo(1); // the interval is ten minutes: no second run
    assertThat(kinds(store, "fake/index/20778/")).containsExactlyInAnyOrder(kindsOf(1, 3, 1));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void writersReadersAndACompactorAtOnceNeverLoseAVisibleChunk(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    CompactorConfig eager = new CompactorConfig(null, null, null, null, 2, null);
    int writers = 3;
    int addsEach = 9;
    // lock step: at most three adds between two compactions, so that they really interleave
    java.util.concurrent.Semaphore added = new java.util.concurrent.Semaphore(0);
    java.util.concurrent.Semaphore allowed = new java.util.concurrent.Semaphore(3);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers + 1);
    try {
      List<java.util.concurrent.Future<List<ChunkRef>>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Labels stream = Labels.of("writer", Integer.toString(w));
        results.add(pool.submit(() -> {
          List<ChunkRef> mine = new ArrayList<>();
          try (ObjectStoreChunkIndex index = index(store)) {
            for (int i = 0; i < addsEach; i++) {
              allowed.acquire();
              ChunkRef r = ref("fake", stream, at(TODAY, 1) + i, at(TODAY, 2) + i);
              index.add(List.of(r));
              mine.add(r);
              added.release();
              // read your writes, and nothing written before is ever lost to a compaction
              assertThat(index.chunks("fake", at(TODAY, 0), at(TODAY, 24))).containsAll(mine);
            }
          }
          return mine;
        }));
      }
      java.util.concurrent.Future<Integer> compactions = pool.submit(() -> {
        IndexCompactor compactor = compactor(store, eager);
        int rewritten = 0;
        // one compaction per three adds, until every add is done
        for (int done = 0; done < writers * addsEach; done += 3) {
          added.acquire(3);
          rewritten += compactor.compactPeriod("fake", TODAY).periodsRewritten();
          allowed.release(3);
        }
        return rewritten;
      });
      List<ChunkRef> all = new ArrayList<>();
      for (var f : results) {
        all.addAll(f.get());
      }
      // every compaction finds at least three new parts, more than the two allowed
      assertThat(compactions.get()).isEqualTo(writers * addsEach / 3);
      assertThat(query(store, "fake", TODAY, TODAY)).containsExactlyInAnyOrderElementsOf(all);
      // every compaction found every earlier object superseded: once the delay passes, one is left
      clock.advance(CompactorConfig.DEFAULT_COMPACTION_DELETE_DELAY);
      CompactionReport settled = compactor(store, new CompactorConfig(null, null, null, null, 1, null)).runOnce();
      assertThat(settled.objectsWritten()).isZero();
      assertThat(store.list("fake/index/20780/")).hasSize(1);
      assertThat(query(store, "fake", TODAY, TODAY)).containsExactlyInAnyOrderElementsOf(all);
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aReaderThatListedBeforeACompactionReadsEveryReferenceAfterIt(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore real = backends.fresh(backend);
    CountingStore store = new CountingStore(real);
    List<ChunkRef> parts = addParts(store, "fake", API, TODAY, 30);
    AtomicBoolean compacted = new AtomicBoolean();
    // the whole compaction runs between the reader's listing and its first get, as in fjord all
    store.beforeGet = key -> {
      if (compacted.compareAndSet(false, true)) {
        CompactionReport r = compactor(real, CompactorConfig.defaults()).runOnce();
        assertThat(r.periodsRewritten()).isEqualTo(1);
      }
    };
    store.reset();
    try (ObjectStoreChunkIndex reader = index(store)) {
      assertThat(reader.chunks("fake", at(TODAY, 0), at(TODAY, 24))).containsExactlyInAnyOrderElementsOf(parts);
    }
    assertThat(compacted).isTrue();
    assertThat(store.lists.get()).as("the reader listed once: nothing it listed was gone").isEqualTo(1);

    // a reader listing after the compaction reads the marker and the compacted object only
    store.beforeGet = key -> {};
    store.reset();
    try (ObjectStoreChunkIndex reader = index(store)) {
      assertThat(reader.chunks("fake", at(TODAY, 0), at(TODAY, 24))).containsExactlyInAnyOrderElementsOf(parts);
    }
    assertThat(kinds(store, "fake/index/20780/")).containsExactlyInAnyOrder(kindsOf(1, 30, 1));
    assertThat(store.getsByKey.keySet()).hasSize(2)
        .allMatch(k -> k.startsWith("fake/index/20780/c-") || k.startsWith("fake/index/20780/s-"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aReaderWhoseObjectsAreDeletedAfterTheDelayListsAgainAndReadsTheCompactedObject(Backend backend)
      throws Exception {
    clock.set(NOON);
    CountingStore store = new CountingStore(backends.fresh(backend));
    List<ChunkRef> parts = addParts(store, "fake", API, TODAY - 3, 4);
    AtomicBoolean compacted = new AtomicBoolean();
    // compaction, then the delay, then the run that deletes the parts, all between list and get
    store.beforeGet = key -> {
      if (compacted.compareAndSet(false, true)) {
        compactor(store, CompactorConfig.defaults()).runOnce();
        clock.advance(CompactorConfig.DEFAULT_COMPACTION_DELETE_DELAY);
        assertThat(compactor(store, CompactorConfig.defaults()).runOnce().objectsDeleted()).isEqualTo(4);
      }
    };
    store.reset();
    try (ObjectStoreChunkIndex reader = index(store)) {
      assertThat(reader.chunks("fake", at(TODAY - 3, 0), at(TODAY - 3, 24)))
          .containsExactlyInAnyOrderElementsOf(parts);
    }
    assertThat(store.list("fake/index/20777/")).hasSize(1).allMatch(k -> k.startsWith("fake/index/20777/c-"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aCompactorDyingBeforeItsMarkerLeavesObjectsTheNextRunFoldsAgain(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore real = backends.fresh(backend);
    List<ChunkRef> parts = addParts(real, "fake", WEB, TODAY - 2, 3);
    CountingStore dying = new CountingStore(real) {
      @Override
      public void put(String key, byte[] bytes) {
        if (key.contains("/s-")) {
          throw new io.fjord.store.ObjectStoreUnavailableException("crash before the marker", null);
        }
        super.put(key, bytes);
      }
    };
    assertThatThrownBy(() -> compactor(dying, CompactorConfig.defaults()).compactPeriod("fake", TODAY - 2))
        .hasMessageContaining("crash before the marker");
    assertThat(kinds(real, "fake/index/20778/")).containsExactlyInAnyOrder(kindsOf(1, 3, 0));
    assertThat(query(real, "fake", TODAY - 2, TODAY - 2)).containsExactlyInAnyOrderElementsOf(parts);

    CompactionReport again = compactor(real, CompactorConfig.defaults()).runOnce();
    assertThat(again.objectsRead()).isEqualTo(4);
    assertThat(kinds(real, "fake/index/20778/")).containsExactlyInAnyOrder(kindsOf(2, 3, 1));
    assertThat(query(real, "fake", TODAY - 2, TODAY - 2)).containsExactlyInAnyOrderElementsOf(parts);
    clock.advance(CompactorConfig.DEFAULT_COMPACTION_DELETE_DELAY);
    assertThat(compactor(real, CompactorConfig.defaults()).runOnce().objectsDeleted()).isEqualTo(4);
    assertThat(kinds(real, "fake/index/20778/")).containsExactly("c");
    assertThat(query(real, "fake", TODAY - 2, TODAY - 2)).containsExactlyInAnyOrderElementsOf(parts);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aCompactorDyingWhileDeletingLeavesTheMarkerAndTheNextRunFinishes(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore real = backends.fresh(backend);
    List<ChunkRef> parts = addParts(real, "fake", WEB, TODAY - 2, 3);
    compactor(real, CompactorConfig.defaults()).runOnce();
    clock.advance(CompactorConfig.DEFAULT_COMPACTION_DELETE_DELAY);
    AtomicInteger calls = new AtomicInteger();
    CountingStore dying = new CountingStore(real) {
      @Override
      public void delete(String key) {
        if (calls.incrementAndGet() == 3) { // two parts gone, then the crash
          throw new io.fjord.store.ObjectStoreUnavailableException("crash while deleting", null);
        }
        super.delete(key);
      }
    };
    assertThatThrownBy(() -> compactor(dying, CompactorConfig.defaults()).runOnce())
        .hasMessageContaining("crash while deleting");
    assertThat(kinds(real, "fake/index/20778/")).containsExactlyInAnyOrder(kindsOf(1, 1, 1));
    assertThat(query(real, "fake", TODAY - 2, TODAY - 2)).containsExactlyInAnyOrderElementsOf(parts);

    CompactionReport finish = compactor(real, CompactorConfig.defaults()).runOnce();
    assertThat(finish.objectsDeleted()).isEqualTo(1);
    assertThat(finish.objectsWritten()).isZero();
    assertThat(kinds(real, "fake/index/20778/")).containsExactly("c");
    assertThat(query(real, "fake", TODAY - 2, TODAY - 2)).containsExactlyInAnyOrderElementsOf(parts);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void expiredChunksStayAsLongAsTheObjectsStillNamingThem(Backend backend) throws Exception {
    clock.set(NOON);
    ObjectStore store = backends.fresh(backend);
    ChunkRef expired = ref("fake", API, at(TODAY - 9, 1), at(TODAY - 9, 2));
    store.put(expired.key(), new byte[] {1});
    try (ObjectStoreChunkIndex writer = index(store)) {
      writer.add(List.of(expired));
    }
    CompactorConfig config = CompactorConfig.withRetention(WEEK, Duration.ZERO)
        .withCompactionDeleteDelay(Duration.ofHours(1));
    CompactionReport first = compactor(store, config).runOnce();
    assertThat(first.refsExpired()).isEqualTo(1);
    assertThat(first.changedAnything()).isTrue();
    assertThat(query(store, "fake", TODAY - 9, TODAY - 9)).isEmpty();

    clock.advance(Duration.ofHours(1).minusMillis(1));
    assertThat(compactor(store, config).runOnce().chunksDeleted()).isZero();
    assertThat(store.get(expired.key())).isPresent();
    clock.advance(Duration.ofMillis(1));
    CompactionReport later = compactor(store, config).runOnce();
    assertThat(later.chunksDeleted()).isEqualTo(1);
    assertThat(later.objectsDeleted()).isEqualTo(1);
    assertThat(store.get(expired.key())).isEmpty();
    assertThat(store.list("fake/")).isEmpty();
  }

  @Test
  void configDefaultsAndRefusals() {
    CompactorConfig d = CompactorConfig.defaults();
    assertThat(d.compactionInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(d.retentionEnabled()).isFalse();
    assertThat(d.retentionPeriod()).isZero();
    assertThat(d.retentionDeleteDelay()).isEqualTo(Duration.ofHours(2));
    assertThat(d.maxIndexObjectsPerPeriod()).isEqualTo(8);
    assertThat(d.retains()).isFalse();
    assertThat(new CompactorConfig(null, true, null, null, null, null).retains()).isFalse();
    assertThatThrownBy(() -> new CompactorConfig(null, true, Duration.ofHours(1), null, null, null))
        .hasMessageContaining("compactor.retention_period must be 0s (keep forever) or at least 24h");
    assertThatThrownBy(() -> new CompactorConfig(Duration.ZERO, null, null, null, null, null))
        .hasMessageContaining("compactor.compaction_interval");
    assertThatThrownBy(() -> new CompactorConfig(null, null, null, null, 0, null))
        .hasMessageContaining("compactor.max_index_objects_per_period");
    assertThat(d.compactionDeleteDelay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.withCompactionDeleteDelay(Duration.ZERO).compactionDeleteDelay()).isZero();
    assertThatThrownBy(() -> new CompactorConfig(null, null, null, null, null, Duration.ofSeconds(-1)))
        .hasMessageContaining("compactor.compaction_delete_delay must not be negative");

    ChunkIndexConfig i = ChunkIndexConfig.defaults();
    assertThat(i.indexPeriod()).isEqualTo(Duration.ofHours(24));
    assertThat(i.indexCacheValidity()).isEqualTo(Duration.ofMinutes(5));
    assertThat(i.indexCacheMaxSizeMb()).isEqualTo(100);
    assertThatThrownBy(() -> new ChunkIndexConfig(Duration.ofMinutes(90), null, null))
        .hasMessageContaining("chunk_index.index_period");
  }

  /** The kind letters of the keys under {@code prefix} ("c", "p", "s"), for counting. */
  private static List<String> kinds(ObjectStore store, String prefix) {
    return store.list(prefix).stream().map(k -> k.substring(prefix.length(), prefix.length() + 1)).toList();
  }

  private static String[] kindsOf(int compacted, int parts, int markers) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < compacted; i++) {
      out.add("c");
    }
    for (int i = 0; i < parts; i++) {
      out.add("p");
    }
    for (int i = 0; i < markers; i++) {
      out.add("s");
    }
    return out.toArray(String[]::new);
  }

  private static List<ChunkRef> concat(List<ChunkRef> a, List<ChunkRef> b) {
    List<ChunkRef> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
