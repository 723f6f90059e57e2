package io.fjord.querier.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.http.ApiException;
import io.fjord.querier.MutableClock;
import io.fjord.querier.source.store.FlushedChunks;
import io.fjord.querier.source.store.StoreSource;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ChunkRef;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store first, then the ingesters: a real store source over a local store and the real chunk
 * index, and a stand-in for the ingesters that records what it was asked and answers canned data.
 * Now is 12:00; one chunk of stream api ends at 07:00 (older than query_ingesters_within = 3h), one
 * at 11:00 (an ingester may still hold it).
 */
class StoreThenIngestersSourceTest {
  private static final long S = 1_000_000_000L;
  private static final long H = 3600 * S;
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final long MIDNIGHT = NOW.getEpochSecond() * S - 12 * H;
  private static final Labels API = Labels.of("app", "api");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(NOW);
  private final Ingesters ingesters = new Ingesters();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private LocalObjectStore store;
  private ObjectStoreChunkIndex index;
  private StoreSource storeSource;
  private ChunkRef old;
  private ChunkRef recent;

  @BeforeEach
  void flush() {
    store = new LocalObjectStore(dir);
    index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock);
    FlushedChunks flush = new FlushedChunks(store, index);
    old = flush.flush("fake", API, List.of(new LogEntry(MIDNIGHT + 6 * H, "old 1"),
        new LogEntry(MIDNIGHT + 7 * H, "old 2")));
    recent = flush.flush("fake", API, List.of(new LogEntry(MIDNIGHT + 10 * H, "recent 1"),
        new LogEntry(MIDNIGHT + 11 * H, "recent 2")));
    storeSource = new StoreSource(store, index);
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    index.close();
    store.close();
  }

  private StoreThenIngestersSource source(Duration within) {
    return new StoreThenIngestersSource(storeSource, ingesters, within, clock, pool);
  }

  @Test
  void aRecentLogQueryAsksTheIngestersLeavingOutTheRecentChunksTheStoreHad() {
    SelectRequest request = new SelectRequest(List.of("fake"), "{app=\"api\"}", MIDNIGHT, MIDNIGHT + 12 * H, 100,
        Direction.FORWARD);

    SelectResult r = source(Duration.ofHours(3)).select(request);

    assertThat(ingesters.selects).singleElement().satisfies(asked -> {
      assertThat(asked.excludeChunks()).containsExactly(recent.key());
      assertThat(asked.query()).isEqualTo(request.query());
      assertThat(asked.startNanos()).isEqualTo(MIDNIGHT);
    });
    assertThat(r.ingestersReached()).isEqualTo(2);
    assertThat(r.streams()).flatExtracting(TenantStream::entries).extracting(Entry::line)
        .containsExactly("old 1", "old 2", "recent 1", "recent 2", "from an ingester");
  }

  @Test
  void anOldRangeIsAnsweredByTheStoreAlone() {
    SelectResult r = source(Duration.ofHours(3)).select(new SelectRequest(List.of("fake"), "{app=\"api\"}", MIDNIGHT,
        MIDNIGHT + 8 * H, 100, Direction.BACKWARD));

    assertThat(ingesters.selects).isEmpty();
    assertThat(r.ingestersReached()).isZero();
    assertThat(r.streams()).flatExtracting(TenantStream::entries).extracting(Entry::line)
        .containsExactly("old 2", "old 1");
  }

  @Test
  void samplesAddTheStoreAndTheIngestersWithTheStoreChunksExcluded() {
    SampleResult r = source(Duration.ofHours(3)).samples(new SampleRequest(List.of("fake"),
        "count_over_time({app=\"api\"}[1h])", null, MIDNIGHT, MIDNIGHT + 12 * H, 12 * H, MIDNIGHT));

    assertThat(ingesters.samples).singleElement()
        .satisfies(asked -> assertThat(asked.excludeChunks()).containsExactly(recent.key()));
    // the store's four entries in the one bucket ending at noon, and the ingester's own series
    assertThat(r.series()).hasSize(2);
    assertThat(r.series().get(0).timestamps()).containsExactly(MIDNIGHT + 12 * H);
    assertThat(r.series().get(0).values()).containsExactly(4.0);
    assertThat(r.series().get(1).labels()).isEqualTo(Labels.of("from", "ingester"));
    assertThat(r.entriesScanned()).isEqualTo(4 + 7);
    assertThat(r.ingestersReached()).isEqualTo(2);
  }

  @Test
  void withIngestersAlwaysAskedEveryStoreChunkIsExcluded() {
    source(Duration.ZERO).select(new SelectRequest(List.of("fake"), "{app=\"api\"}", MIDNIGHT, MIDNIGHT + 8 * H, 100,
        Direction.FORWARD));

    assertThat(ingesters.selects).singleElement()
        .satisfies(asked -> assertThat(asked.excludeChunks()).containsExactly(old.key()));
  }

  @Test
  void tooManyChunksToExcludeRefuseSamplesButOnlyTrimALogQuery() {
    StoreThenIngestersSource source =
        new StoreThenIngestersSource(storeSource, ingesters, Duration.ofDays(1), clock, pool, 1);

    source.select(new SelectRequest(List.of("fake"), "{app=\"api\"}", MIDNIGHT, MIDNIGHT + 12 * H, 100,
        Direction.FORWARD));
    assertThat(ingesters.selects).singleElement()
        .satisfies(asked -> assertThat(asked.excludeChunks()).containsExactly(recent.key())); // the newest
    assertThatThrownBy(() -> source.samples(new SampleRequest(List.of("fake"), "count_over_time({app=\"api\"}[1h])",
        null, MIDNIGHT, MIDNIGHT + 12 * H)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).contains("2 chunks").contains("narrow");
        });
    assertThat(ingesters.samples).isEmpty();
  }

  @Test
  void labelsAndSeriesJoinBothSources() {
    StoreThenIngestersSource source = source(Duration.ofHours(3));

    assertThat(source.labels(new LabelsRequest(List.of("fake"), MIDNIGHT, MIDNIGHT + 12 * H, null, null)))
        .containsExactlyInAnyOrder("app", "from");
    assertThat(source.series(new SeriesRequest(List.of("fake"), MIDNIGHT, MIDNIGHT + 12 * H, List.of())))
        .containsExactlyInAnyOrder(new TenantSeries("fake", API), new TenantSeries("fake", Labels.of("from", "ingester")));
  }

  @Test
  void theIngestersAreAskedOnTheExecutorAndTheirFailureIsTheQuerysError() {
    StoreThenIngestersSource source = source(Duration.ofHours(3));
    SelectRequest request = new SelectRequest(List.of("fake"), "{app=\"api\"}", MIDNIGHT, MIDNIGHT + 12 * H, 100,
        Direction.FORWARD);

    source.select(request);
    assertThat(ingesters.threads).singleElement().isNotEqualTo(Thread.currentThread());

    ingesters.failure = new ApiException(502, "ingester ingester-1 (http://x) failed: HTTP 500");
    assertThatThrownBy(() -> source.select(request)).isSameAs(ingesters.failure);
    assertThatThrownBy(() -> source.samples(new SampleRequest(List.of("fake"), "count_over_time({app=\"api\"}[1h])",
        null, MIDNIGHT, MIDNIGHT + 12 * H))).isSameAs(ingesters.failure);
  }

  /** Two ingesters' worth of canned answers; records the requests. Thread-safe. */
  private static final class Ingesters implements LogSource {
    final List<SelectRequest> selects = new CopyOnWriteArrayList<>();
    final List<SampleRequest> samples = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    volatile RuntimeException failure;

    @Override
    public SelectResult select(SelectRequest request) {
      selects.add(request);
      threads.add(Thread.currentThread());
      if (failure != null) {
        throw failure;
      }
      return new SelectResult(List.of(new TenantStream("fake", Labels.of("from", "ingester"),
          List.of(new Entry(MIDNIGHT + 11 * H + S, "from an ingester")))), 2);
    }

    @Override
    public List<String> labels(LabelsRequest request) {
      return List.of("from");
    }

    @Override
    public List<TenantSeries> series(SeriesRequest request) {
      return List.of(new TenantSeries("fake", Labels.of("from", "ingester")));
    }

    @Override
    public SampleResult samples(SampleRequest request) {
      samples.add(request);
      if (failure != null) {
        throw failure;
      }
      return new SampleResult(List.of(new TenantSamples("fake", Labels.of("from", "ingester"),
          new long[] {MIDNIGHT + 12 * H}, new double[] {7})), 2, 7, 70);
    }
  }
}
