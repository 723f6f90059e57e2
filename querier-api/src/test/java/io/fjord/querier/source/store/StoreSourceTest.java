package io.fjord.querier.source.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.http.ApiException;
import io.fjord.logql.ast.Grouping;
import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.TenantSamples;
import io.fjord.querier.source.TenantSeries;
import io.fjord.querier.source.TenantStream;
import io.fjord.schemas.chunk.BlockMeta;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ChunkRef;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store source over real chunk objects in a real local store, found through the real chunk
 * index. Stream api has three chunks one after another and a fourth, re-flushed one that repeats
 * entries of the second and third; stream web has one chunk; tenant "other" has a stream with the
 * same labels as api. Expected answers come from a model of the pushed entries, not from the chunks.
 */
class StoreSourceTest {
  private static final long S = 1_000_000_000L;
  /** 2026-11-20T00:00:00Z in nanoseconds. */
  private static final long T0 = 1_795_132_800L * S;
  private static final Labels API = Labels.of("app", "api", "env", "prod");
  private static final Labels WEB = Labels.of("app", "web", "env", "dev");

  @TempDir Path dir;
  private RecordingStore store;
  private ObjectStoreChunkIndex index;
  private StoreSource source;
  private ChunkRef c1;
  private ChunkRef c2;
  private ChunkRef c3;
  private ChunkRef reflushed;
  /** Every distinct pushed entry of tenant fake, in push order. */
  private final List<Pushed> model = new ArrayList<>();

  private record Pushed(Labels labels, long ts, String line) {}

  @BeforeEach
  void flushChunks() {
    store = new RecordingStore(new LocalObjectStore(dir));
    index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(),
        Clock.fixed(Instant.parse("2026-11-20T01:00:00Z"), ZoneOffset.UTC));
    FlushedChunks flush = new FlushedChunks(store, index);
    List<LogEntry> api = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      api.add(new LogEntry(T0 + i * S, "api line " + i));
      model.add(new Pushed(API, T0 + i * S, "api line " + i));
      if (i == 20) { // a second, different line at the same time
        api.add(new LogEntry(T0 + i * S, "api line 20b"));
        model.add(new Pushed(API, T0 + i * S, "api line 20b"));
      }
    }
    c1 = flush.flush("fake", API, api.subList(0, 10)); // 1..10
    c2 = flush.flush("fake", API, api.subList(10, 21)); // 11..20, 20b
    c3 = flush.flush("fake", API, api.subList(21, 31)); // 21..30
    reflushed = flush.flush("fake", API, api.subList(14, 26)); // 15..25 again
    List<LogEntry> web = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      String line = i % 4 == 0 ? "web ERROR " + i : "web GET /" + i;
      web.add(new LogEntry(T0 + i * S + S / 2, line));
      model.add(new Pushed(WEB, T0 + i * S + S / 2, line));
    }
    flush.flush("fake", WEB, web);
    flush.flush("other", API, List.of(new LogEntry(T0 + 5 * S, "secret 5"), new LogEntry(T0 + 6 * S, "secret 6")));
    store.rangedReads.clear();
    source = new StoreSource(store, index);
  }

  @AfterEach
  void close() {
    index.close();
    store.close();
  }

  @Test
  void forwardLimitCrossesChunkBoundariesAndKeepsEachEntryOnce() {
    SelectResult r = source.select(select("{app=\"api\"}", T0, T0 + 60 * S, 25, Direction.FORWARD));

    List<Entry> expected = expected(p -> p.labels().equals(API), true, T0, T0 + 60 * S, 25);
    assertThat(expected).extracting(Entry::line).contains("api line 20", "api line 20b", "api line 24");
    assertThat(r.streams()).singleElement().satisfies(s -> {
      assertThat(s.tenant()).isEqualTo("fake");
      assertThat(s.labels()).isEqualTo(API);
      assertThat(s.entries()).containsExactlyElementsOf(expected);
    });
  }

  @Test
  void backwardLimitIsTheExactReverse() {
    SelectResult r = source.select(select("{app=\"api\"}", T0, T0 + 60 * S, 14, Direction.BACKWARD));

    List<Entry> expected = expected(p -> p.labels().equals(API), false, T0, T0 + 60 * S, 14);
    assertThat(expected.get(0).line()).isEqualTo("api line 30");
    assertThat(r.streams()).singleElement()
        .satisfies(s -> assertThat(s.entries()).containsExactlyElementsOf(expected));
  }

  @Test
  void theWholeRangeHoldsEveryEntryOnceInBothDirections() {
    for (Direction d : Direction.values()) {
      SelectResult r = source.select(select("{app=\"api\"}", T0, T0 + 60 * S, 1000, d));
      List<Entry> expected = expected(p -> p.labels().equals(API), d == Direction.FORWARD, T0, T0 + 60 * S, 1000);
      assertThat(expected).hasSize(31);
      assertThat(r.streams()).singleElement()
          .satisfies(s -> assertThat(s.entries()).containsExactlyElementsOf(expected));
    }
  }

  @Test
  void theLimitAppliesAcrossStreamsWithinTheRangeAndPipeline() {
    long start = T0 + 8 * S;
    long end = T0 + 18 * S;
    SelectResult r = source.select(select("{env=~\".+\"} != \"ERROR\"", start, end, 9, Direction.FORWARD));

    List<Entry> expected = expected(p -> !p.line().contains("ERROR"), true, start, end, 9);
    List<Entry> got = new ArrayList<>();
    r.streams().forEach(s -> got.addAll(s.entries()));
    got.sort(Comparator.comparingLong(Entry::tsNanos));
    assertThat(got).containsExactlyElementsOf(expected);
    assertThat(r.streams()).extracting(TenantStream::labels).containsExactlyInAnyOrder(API, WEB);
  }

  @Test
  void aLineFilterPassesOverLinesWithoutTheLiteralAndCountsThemAsRead() {
    long webBytes = model.stream().filter(p -> p.labels().equals(WEB))
        .mapToLong(p -> p.line().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
    for (Direction d : Direction.values()) {
      SelectResult r = source.select(select("{app=\"web\"} |= \"ERROR\"", T0, T0 + 60 * S, 1000, d));

      List<Entry> expected = expected(p -> p.labels().equals(WEB) && p.line().contains("ERROR"),
          d == Direction.FORWARD, T0, T0 + 60 * S, 1000);
      assertThat(expected).hasSize(5);
      assertThat(r.streams()).singleElement()
          .satisfies(st -> assertThat(st.entries()).containsExactlyElementsOf(expected));
      // all 20 web entries were read: 5 kept, 15 passed over on their bytes
      assertThat(r.entriesScanned()).isEqualTo(20);
      assertThat(r.bytesScanned()).isEqualTo(webBytes);
    }
  }

  @Test
  void aFilteredScanCutIntoSharesAnswersAsOneSequentialMerge() {
    // with a line filter the api stream (c1, c2, c3 and the re-flush of 15..25 over c2 and c3) is
    // split in time between shares; each entry still comes once, in order, up to the limit
    for (int shares : new int[] {1, 2, 3, 5}) {
      StoreSource cut = new StoreSource(store, index, shares);
      for (Direction d : Direction.values()) {
        for (int limit : new int[] {1, 6, 1000}) {
          SelectResult r = cut.select(select("{env=~\".+\"} |= \"line\"", T0, T0 + 60 * S, limit, d));
          List<Entry> expected = expected(p -> p.line().contains("line"), d == Direction.FORWARD, T0, T0 + 60 * S,
              limit);
          assertThat(r.streams()).as("shares %d, %s, limit %d", shares, d, limit).singleElement()
              .satisfies(s -> assertThat(s.entries()).containsExactlyElementsOf(expected));
        }
        SelectResult all = cut.select(select("{app=\"api\"} |= \"line\"", T0, T0 + 60 * S, 1000, d));
        // each of the 31 distinct api entries counted once (the merge drops the re-flushed copies
        // before counting), whichever share reads it
        assertThat(all.entriesScanned()).as("shares %d", shares).isEqualTo(31);
      }
    }
  }

  @Test
  void aLimitedQueryFetchesOnlyTheBlocksAndChunksItNeeds() {
    source.select(select("{app=\"api\"}", T0, T0 + 60 * S, 2, Direction.FORWARD));

    // the merge reads up to the entry after the last one taken: api line 3, in c1
    byte[] c1Bytes = store.get(c1.key()).orElseThrow();
    int blockOfThird = -1;
    for (BlockMeta b : ChunkReader.of(c1.key(), c1Bytes).blocks()) {
      if (blockOfThird < 0 && b.maxTs() >= T0 + 3 * S) {
        blockOfThird = b.index();
      }
    }
    assertThat(ChunkReader.of(c1.key(), c1Bytes).blocks()).hasSizeGreaterThan(blockOfThird + 1);
    assertThat(store.readsOf(c1.key())).isEqualTo(1 + blockOfThird + 1); // the tail, then blocks 0..blockOfThird
    assertThat(store.rangedReads).containsOnly(c1.key());

    store.rangedReads.clear();
    source.select(select("{app=\"api\"}", T0, T0 + 60 * S, 2, Direction.BACKWARD));
    assertThat(store.rangedReads).containsOnly(c3.key());
  }

  @Test
  void samplesCountEveryEntryOnceIntoTheAskedBuckets() {
    long start = T0 + 3 * S;
    long end = T0 + 28 * S;
    long width = 5 * S;
    long align = T0 + 2 * S;
    SampleResult r = source.samples(new SampleRequest(List.of("fake"), "count_over_time({app=\"api\"}[1m])", null,
        start, end, width, align));

    // brute force: bucket k is (align + (k-1)·width, align + k·width]
    Map<Long, Double> counts = new TreeMap<>();
    long entries = 0;
    long bytes = 0;
    for (Pushed p : model) {
      if (p.labels().equals(API) && p.ts() >= start && p.ts() < end) {
        entries++;
        bytes += p.line().getBytes(StandardCharsets.UTF_8).length;
        for (long k = -20; k <= 20; k++) {
          if (align + (k - 1) * width < p.ts() && p.ts() <= align + k * width) {
            counts.merge(align + k * width, 1.0, Double::sum);
          }
        }
      }
    }
    assertThat(entries).isEqualTo(26); // 3..27 and 20b
    assertThat(r.series()).singleElement().satisfies(s -> {
      assertThat(s.tenant()).isEqualTo("fake");
      assertThat(s.labels()).isEqualTo(API);
      assertThat(asMap(s)).isEqualTo(counts);
    });
    assertThat(r.entriesScanned()).isEqualTo(entries);
    assertThat(r.bytesScanned()).isEqualTo(bytes);
  }

  @Test
  void streamsReadInParallelSumIntoOneGroupedSeriesPerBucket() {
    long width = 4 * S;
    long align = T0 + S;
    SampleResult r = source.samples(new SampleRequest(List.of("fake"), "count_over_time({env=~\".+\"}[1m])",
        new Grouping(false, List.of()), T0, T0 + 60 * S, width, align));

    // brute force over both streams (api and web) of tenant fake: bucket k is (align + (k-1)·width, align + k·width]
    Map<Long, Double> counts = new TreeMap<>();
    for (Pushed p : model) {
      for (long k = -20; k <= 20; k++) {
        if (align + (k - 1) * width < p.ts() && p.ts() <= align + k * width) {
          counts.merge(align + k * width, 1.0, Double::sum);
        }
      }
    }
    assertThat(r.series()).singleElement().satisfies(s -> {
      assertThat(s.labels()).isEqualTo(Labels.EMPTY);
      assertThat(asMap(s)).isEqualTo(counts);
    });
    assertThat(r.entriesScanned()).isEqualTo(model.size());
  }

  @Test
  void samplesWithoutBucketsFollowThePipelineAndAPushedGrouping() {
    SampleResult r = source.samples(new SampleRequest(List.of("fake"),
        "bytes_over_time({env=~\".+\"} |= \"ERROR\" [1m])", new Grouping(false, List.of("app")), T0, T0 + 60 * S));

    Map<Long, Double> expected = new TreeMap<>();
    for (Pushed p : model) {
      if (p.line().contains("ERROR")) {
        expected.put(p.ts(), (double) p.line().length());
      }
    }
    assertThat(expected).hasSize(5);
    assertThat(r.series()).singleElement().satisfies(s -> {
      assertThat(s.labels()).isEqualTo(Labels.of("app", "web"));
      assertThat(asMap(s)).isEqualTo(expected);
    });
  }

  @Test
  void aFilteredCountPassesOverLinesWithoutTheLiteralAndCountsThemAsRead() {
    SampleResult r = source.samples(new SampleRequest(List.of("fake"), "count_over_time({app=\"web\"} |= \"ERROR\" [1m])",
        null, T0, T0 + 60 * S));

    Map<Long, Double> expected = new TreeMap<>();
    long bytes = 0;
    for (Pushed p : model) {
      if (p.labels().equals(WEB)) {
        bytes += p.line().getBytes(StandardCharsets.UTF_8).length;
        if (p.line().contains("ERROR")) {
          expected.put(p.ts(), 1.0);
        }
      }
    }
    assertThat(expected).hasSize(5); // web ERROR 4, 8, 12, 16, 20
    assertThat(r.series()).singleElement().satisfies(s -> assertThat(asMap(s)).isEqualTo(expected));
    assertThat(r.entriesScanned()).isEqualTo(20); // every web line read, the 15 passed over included
    assertThat(r.bytesScanned()).isEqualTo(bytes);
  }

  @Test
  void labelsAndSeriesComeFromTheIndexWithoutReadingChunks() {
    long end = T0 + 60 * S;
    assertThat(source.labels(new LabelsRequest(List.of("fake"), T0, end, null, null))).containsExactly("app", "env");
    assertThat(source.labels(new LabelsRequest(List.of("fake"), T0, end, "app", null))).containsExactly("api", "web");
    assertThat(source.labels(new LabelsRequest(List.of("fake"), T0, end, "app", "{env=\"dev\"}")))
        .containsExactly("web");
    assertThat(source.labels(new LabelsRequest(List.of("fake"), T0, end, "nope", null))).isEmpty();
    assertThat(source.series(new SeriesRequest(List.of("fake"), T0, end, List.of("{app=\"api\"}"))))
        .containsExactly(new TenantSeries("fake", API));
    assertThat(source.series(new SeriesRequest(List.of("fake", "other"), T0, end, List.of())))
        .containsExactlyInAnyOrder(new TenantSeries("fake", API), new TenantSeries("fake", WEB),
            new TenantSeries("other", API));
    // web's last entry is at 20.5s: from 25s on only api has data
    assertThat(source.series(new SeriesRequest(List.of("fake"), T0 + 25 * S, end, List.of())))
        .containsExactly(new TenantSeries("fake", API));
    assertThat(store.rangedReads).isEmpty();
  }

  @Test
  void tenantsSeeOnlyTheirOwnChunks() {
    SelectResult fake = source.select(select("{app=\"api\"}", T0, T0 + 60 * S, 1000, Direction.FORWARD));
    assertThat(fake.streams()).allSatisfy(s -> assertThat(s.tenant()).isEqualTo("fake"));
    assertThat(fake.streams()).flatExtracting(TenantStream::entries).extracting(Entry::line)
        .noneMatch(l -> l.startsWith("secret"));

    SelectResult other = source.select(new SelectRequest(List.of("other"), "{app=\"api\"}", T0, T0 + 60 * S, 1000,
        Direction.FORWARD));
    assertThat(other.streams()).singleElement().satisfies(s -> {
      assertThat(s.tenant()).isEqualTo("other");
      assertThat(s.entries()).extracting(Entry::line).containsExactly("secret 5", "secret 6");
    });
  }

  @Test
  void aChunkMissingInTheStoreIsSkippedAndCounted() {
    store.delete(c2.key());

    SelectResult r = source.select(select("{app=\"api\"}", T0, T0 + 60 * S, 1000, Direction.FORWARD));

    // 11..14 were only in c2; 15..20b are also in the re-flushed chunk
    List<Entry> expected = expected(p -> p.labels().equals(API) && !(p.ts() >= T0 + 11 * S && p.ts() <= T0 + 14 * S),
        true, T0, T0 + 60 * S, 1000);
    assertThat(r.streams()).singleElement()
        .satisfies(s -> assertThat(s.entries()).containsExactlyElementsOf(expected));
    assertThat(source.missingChunks()).isEqualTo(1);
    assertThat(reflushed.key()).isNotEqualTo(c2.key());
  }

  @Test
  void anUnreachableStoreIsA503NamingIt() {
    store.down(true);

    assertThatThrownBy(() -> source.select(select("{app=\"api\"}", T0, T0 + 60 * S, 10, Direction.FORWARD)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.getMessage()).contains("chunk store recording(").contains("connection refused");
        });
    assertThatThrownBy(() -> source.samples(new SampleRequest(List.of("fake"), "count_over_time({app=\"api\"}[1m])",
        null, T0, T0 + 60 * S))).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
  }

  @Test
  void anUnreachableStoreWhileReadingChunksIsA503NamingTheChunk() {
    // the index is read (and cached) while the store is up; the chunks then cannot be
    ChunkSelection selection = new ChunkSelection(index, store);
    assertThat(selection.refs(List.of("fake"), T0, T0 + 60 * S, List.of())).hasSize(5);
    ChunkOpener opener = new ChunkOpener(store);
    store.down(true);

    assertThatThrownBy(() -> opener.entries(c1, true, T0, T0 + 60 * S))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.getMessage()).contains(c1.key());
        });
  }

  @Test
  void aBadQueryIsA400() {
    assertThatThrownBy(() -> source.select(select("{app=", T0, T0 + S, 10, Direction.FORWARD)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> source.samples(new SampleRequest(List.of("fake"), "{app=\"api\"}", null, T0, T0 + S)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  private static SelectRequest select(String query, long start, long end, int limit, Direction direction) {
    return new SelectRequest(List.of("fake"), query, start, end, limit, direction);
  }

  /**
   * The first {@code limit} entries of the model in the range that pass {@code filter}, by time in
   * the direction; equal times in push order forward and reversed backward.
   */
  private List<Entry> expected(Predicate<Pushed> filter, boolean forward, long start, long end, int limit) {
    List<Entry> out = new ArrayList<>();
    for (Pushed p : model) {
      if (filter.test(p) && p.ts() >= start && p.ts() < end) {
        out.add(new Entry(p.ts(), p.line()));
      }
    }
    out.sort(Comparator.comparingLong(Entry::tsNanos)); // stable: push order at equal times
    if (!forward) {
      java.util.Collections.reverse(out);
    }
    return out.subList(0, Math.min(limit, out.size()));
  }

  private static Map<Long, Double> asMap(TenantSamples s) {
    Map<Long, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < s.timestamps().length; i++) {
      m.put(s.timestamps()[i], s.values()[i]);
    }
    return new TreeMap<>(m);
  }
}
