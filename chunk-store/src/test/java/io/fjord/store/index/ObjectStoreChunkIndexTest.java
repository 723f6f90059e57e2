package io.fjord.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.labels.Fingerprint;
import io.fjord.schemas.labels.Labels;
import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectKeys;
import io.fjord.store.ObjectStore;
import io.fjord.store.index.StoreBackends.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The chunk index on both stores: what a reader sees after adds, across day boundaries, with its caches. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectStoreChunkIndexTest {
  static final long HOUR = 3_600_000_000_000L;
  static final long DAY = 24 * HOUR;
  /** 2026-11-23T00:00Z is day 20780 since 1970-01-01 (worked out with Python's date arithmetic). */
  static final long TODAY = 20780;
  static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");
  static final Labels API = Labels.of("app", "api");
  static final Labels WEB = Labels.of("app", "web", "env", "prod");

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

  static ChunkRef ref(String tenant, Labels labels, long from, long through) {
    return new ChunkRef(new ChunkKey(tenant, Fingerprint.of(labels), from, through, (int) (from ^ through ^ 0x5a5a)),
        labels, 1000 + (through - from) % 1000, 10);
  }

  static long at(long day, long hours) {
    return day * DAY + hours * HOUR;
  }

  private ObjectStoreChunkIndex index(ObjectStore store) {
    clock.set(NOON);
    return ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aFreshReaderSeesEveryAddedChunkThatOverlapsTheRange(Backend backend) throws Exception {
    ObjectStore store = backends.fresh(backend);
    ChunkRef morning = ref("fake", API, at(TODAY, 8), at(TODAY, 9));
    ChunkRef eleven = ref("fake", WEB, at(TODAY, 11), at(TODAY, 11) + 5);
    try (ObjectStoreChunkIndex writer = index(store)) {
      writer.add(List.of(morning));
      writer.add(List.of(eleven));
    }
    try (ObjectStoreChunkIndex reader = index(store)) {
      assertThat(reader.chunks("fake", at(TODAY, 0), at(TODAY, 24))).containsExactlyInAnyOrder(morning, eleven);
      // [start, end): a chunk whose last entry is at start is in, one whose first entry is at end is out
      assertThat(reader.chunks("fake", at(TODAY, 9), at(TODAY, 11))).containsExactly(morning);
      assertThat(reader.chunks("fake", at(TODAY, 9) + 1, at(TODAY, 11) + 1)).containsExactly(eleven);
      assertThat(reader.chunks("fake", at(TODAY, 9) + 1, at(TODAY, 11))).isEmpty();
      assertThat(reader.chunks("fake", at(TODAY, 10), at(TODAY, 10))).isEmpty();
      assertThat(reader.chunks("fake", at(TODAY - 3, 0), at(TODAY - 2, 0))).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void oneAddWritesOneObjectPerTenantAndDayUnderItsPeriodPrefix(Backend backend) throws Exception {
    ObjectStore store = backends.fresh(backend);
    try (ObjectStoreChunkIndex index = index(store)) {
      index.add(List.of(ref("fake", API, at(TODAY, 1), at(TODAY, 2)), ref("fake", WEB, at(TODAY, 3), at(TODAY, 4)),
          ref("other", API, at(TODAY, 1), at(TODAY, 2)), ref("fake", API, at(TODAY - 1, 1), at(TODAY - 1, 2))));
    }
    List<String> keys = store.list("");
    assertThat(keys).hasSize(3);
    assertThat(store.list("fake/index/20780/")).hasSize(1);
    assertThat(store.list("fake/index/20779/")).hasSize(1);
    assertThat(store.list("other/index/20780/")).hasSize(1);
    for (String k : keys) {
      assertThat(ObjectKeys.check(k)).matches("[a-z]+/index/(20779|20780)/p-[0-9a-f]{16}-[0-9a-f]{16}");
      assertThat(IndexKeys.parse(k)).isPresent();
      assertThatThrownBy(() -> ChunkKey.parse(k)).isInstanceOf(IllegalArgumentException.class);
    }
    // and no chunk key reads as an index key
    assertThat(IndexKeys.parse(ref("fake", API, 1, 2).key())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aChunkSpanningMidnightIsFoundFromEitherDayAndReturnedOnce(Backend backend) throws Exception {
    ObjectStore store = backends.fresh(backend);
    ChunkRef overnight = ref("fake", API, at(TODAY - 1, 23), at(TODAY, 1));
    ChunkRef threeDays = ref("fake", WEB, at(TODAY - 3, 20), at(TODAY - 1, 2));
    try (ObjectStoreChunkIndex index = index(store)) {
      index.add(List.of(overnight, threeDays));
      assertThat(store.list("fake/index/")).hasSize(4); // days 20777 .. 20780, one object each
      assertThat(store.list("fake/index/20778/")).hasSize(1); // the middle day of the three
      assertThat(index.chunks("fake", at(TODAY, 0), at(TODAY, 0) + 1)).containsExactly(overnight);
      assertThat(index.chunks("fake", at(TODAY - 1, 23), at(TODAY - 1, 24))).containsExactly(overnight);
      assertThat(index.chunks("fake", at(TODAY - 2, 12), at(TODAY - 2, 13))).containsExactly(threeDays);
      assertThat(index.chunks("fake", at(TODAY - 5, 0), at(TODAY + 1, 0)))
          .containsExactlyInAnyOrder(overnight, threeDays);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aChunkAddedTwiceIsReturnedOnce(Backend backend) throws Exception {
    ObjectStore store = backends.fresh(backend);
    ChunkRef c = ref("fake", API, at(TODAY, 1), at(TODAY, 2));
    try (ObjectStoreChunkIndex a = index(store); ObjectStoreChunkIndex b = index(store)) {
      a.add(List.of(c, c));
      b.add(List.of(c)); // a retried flush from another ingester
      assertThat(store.list("fake/index/")).hasSize(2);
      assertThat(a.chunks("fake", at(TODAY, 0), at(TODAY, 24))).containsExactly(c);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void tenantsNeverSeeEachOthersChunks(Backend backend) throws Exception {
    ObjectStore store = backends.fresh(backend);
    ChunkRef mine = ref("a", API, at(TODAY, 1), at(TODAY, 2));
    ChunkRef theirs = ref("b", API, at(TODAY, 1), at(TODAY, 2));
    try (ObjectStoreChunkIndex index = index(store)) {
      index.add(List.of(mine, theirs));
      assertThat(index.chunks("a", 0, Long.MAX_VALUE)).containsExactly(mine);
      assertThat(index.chunks("b", 0, Long.MAX_VALUE)).containsExactly(theirs);
      assertThat(index.chunks("c", 0, Long.MAX_VALUE)).isEmpty();
      assertThatThrownBy(() -> index.chunks("a/../b", 0, 1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> index.chunks(".fjord-tmp", 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aReaderGetsEachObjectOnceAndReListsOldDaysOnlyAfterTheCacheValidity(Backend backend) throws Exception {
    CountingStore store = new CountingStore(backends.fresh(backend));
    ChunkRef old = ref("fake", API, at(TODAY - 5, 1), at(TODAY - 5, 2));
    ChunkRef recent = ref("fake", API, at(TODAY, 1), at(TODAY, 2));
    try (ObjectStoreChunkIndex writer = index(store)) {
      writer.add(List.of(old, recent));
    }
    ObjectStoreChunkIndex reader = index(store);
    store.reset();
    assertThat(reader.chunks("fake", at(TODAY - 5, 0), at(TODAY - 5, 24))).containsExactly(old);
    assertThat(reader.chunks("fake", at(TODAY, 0), at(TODAY, 24))).containsExactly(recent);
    assertThat(store.gets.get()).isEqualTo(2);
    assertThat(store.lists.get()).isEqualTo(2);

    store.reset();
    assertThat(reader.chunks("fake", at(TODAY - 5, 0), at(TODAY - 5, 24))).containsExactly(old);
    assertThat(reader.chunks("fake", at(TODAY, 0), at(TODAY, 24))).containsExactly(recent);
    assertThat(store.gets.get()).as("immutable objects come from the cache").isZero();
    assertThat(store.lists.get()).as("only today is listed again").isEqualTo(1);

    // another writer adds to both days: today's part is seen at once, the old day's after the validity
    ChunkRef lateOld = ref("fake", WEB, at(TODAY - 5, 3), at(TODAY - 5, 4));
    ChunkRef fresh = ref("fake", WEB, at(TODAY, 3), at(TODAY, 4));
    try (ObjectStoreChunkIndex other = index(store)) {
      other.add(List.of(lateOld, fresh));
    }
    assertThat(reader.chunks("fake", at(TODAY, 0), at(TODAY, 24))).containsExactlyInAnyOrder(recent, fresh);
    assertThat(reader.chunks("fake", at(TODAY - 5, 0), at(TODAY - 5, 24))).containsExactly(old);
    clock.advance(Duration.ofMinutes(5));
    assertThat(reader.chunks("fake", at(TODAY - 5, 0), at(TODAY - 5, 24))).containsExactlyInAnyOrder(old, lateOld);
    reader.close();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void yesterdayIsListedOnEveryQueryToo(Backend backend) throws Exception {
    CountingStore store = new CountingStore(backends.fresh(backend));
    try (ObjectStoreChunkIndex reader = index(store)) {
      reader.chunks("fake", at(TODAY - 1, 0), at(TODAY - 1, 1));
      reader.chunks("fake", at(TODAY - 1, 0), at(TODAY - 1, 1));
      reader.chunks("fake", at(TODAY - 2, 0), at(TODAY - 2, 1));
      reader.chunks("fake", at(TODAY - 2, 0), at(TODAY - 2, 1));
      assertThat(store.lists.get()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anObjectDeletedBetweenListAndGetMakesTheReaderListAgain(Backend backend) throws Exception {
    CountingStore store = new CountingStore(backends.fresh(backend));
    ChunkRef a = ref("fake", API, at(TODAY, 1), at(TODAY, 2));
    ChunkRef b = ref("fake", WEB, at(TODAY, 3), at(TODAY, 4));
    try (ObjectStoreChunkIndex writer = index(store)) {
      writer.add(List.of(a));
      writer.add(List.of(b));
    }
    List<String> parts = store.list("fake/index/20780/");
    AtomicBoolean compacted = new AtomicBoolean();
    // a compactor runs between the reader's list and its first get: union written, parts deleted
    store.beforeGet = key -> {
      if (compacted.compareAndSet(false, true)) {
        store.put(IndexKeys.newKey("fake", TODAY, IndexKeys.Kind.COMPACTED, 1, 2), IndexObjectFormat.encode("fake",
            List.of(a, b)));
        parts.forEach(store::delete);
      }
    };
    store.reset();
    try (ObjectStoreChunkIndex reader = index(store)) {
      assertThat(reader.chunks("fake", at(TODAY, 0), at(TODAY, 24))).containsExactlyInAnyOrder(a, b);
    }
    assertThat(store.lists.get()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aCorruptIndexObjectIsAnErrorNamingIt(Backend backend) throws Exception {
    ObjectStore store = backends.fresh(backend);
    String key = IndexKeys.newKey("fake", TODAY, IndexKeys.Kind.PART, 1, 1);
    store.put(key, "not an index".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (ObjectStoreChunkIndex writer = index(store)) {
      writer.add(List.of(ref("fake", API, at(TODAY - 3, 1), at(TODAY - 3, 2))));
    }
    try (ObjectStoreChunkIndex reader = index(store)) {
      assertThatThrownBy(() -> reader.chunks("fake", at(TODAY, 0), at(TODAY, 1)))
          .isInstanceOf(IndexFormatException.class).hasMessageStartingWith("chunk index object " + key + ": ");
      // the same error, not a wrapper, when the bad day is one of several read in parallel
      assertThatThrownBy(() -> reader.chunks("fake", at(TODAY - 5, 0), at(TODAY, 1)))
          .isInstanceOf(IndexFormatException.class).hasMessageStartingWith("chunk index object " + key + ": ");
      assertThat(reader.chunks("fake", at(TODAY - 5, 0), at(TODAY - 1, 0))).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aWideRangeListsTheTenantsPeriodsInsteadOfEveryNumber(Backend backend) throws Exception {
    CountingStore store = new CountingStore(backends.fresh(backend));
    ChunkRef epoch = ref("fake", API, 5, 10);
    ChunkRef now = ref("fake", API, at(TODAY, 1), at(TODAY, 2));
    try (ObjectStoreChunkIndex index = index(store)) {
      index.add(List.of(epoch, now));
      store.reset();
      assertThat(index.chunks("fake", Long.MIN_VALUE, Long.MAX_VALUE)).containsExactlyInAnyOrder(epoch, now);
      assertThat(index.chunks("fake", 0, at(TODAY, 1))).containsExactly(epoch);
      assertThat(store.listPrefixes.get()).isEqualTo(2);
      assertThat(store.lists.get()).isLessThanOrEqualTo(4);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aChunkSpanningAbsurdlyManyPeriodsIsRefused(Backend backend) throws Exception {
    ObjectStore store = backends.fresh(backend);
    try (ObjectStoreChunkIndex index = index(store)) {
      assertThatThrownBy(() -> index.add(List.of(ref("fake", API, 0, at(TODAY, 0)))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spans 20781 index periods");
      assertThat(store.list("")).isEmpty();
    }
  }
}
