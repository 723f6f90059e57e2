package io.fjord.querier.source.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.ast.Grouping;
import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.StoreThenIngestersSource;
import io.fjord.querier.source.TenantSamples;
import io.fjord.querier.source.TenantSeries;
import io.fjord.querier.source.TenantStream;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.ChunkKey;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ChunkRef;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counting whole blocks from the chunk footers gives what decoding every entry gives, on random
 * data: streams cut into chunks of random block sizes, some stretches flushed again (chunks that
 * overlap and repeat entries), equal timestamps with different lines, structured metadata, random
 * ranges and buckets that cut through blocks. Each round's expected counts come from a model of the
 * distinct entries (stream, timestamp, line), never from the chunks; the same rounds check that the
 * parallel log query returns the model's first entries in both directions, and that the store and an
 * ingester holding some of the same chunks (left out through excludeChunks) count each entry once.
 */
class WholeBlocksTest {
  private static final long S = 1_000_000_000L;
  /** 2026-11-20T00:00:00Z in nanoseconds. */
  private static final long T0 = 1_795_132_800L * S;
  private static final Instant NOW = Instant.ofEpochSecond(T0 / S + 3600);

  @TempDir Path dir;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    pool.shutdownNow();
  }

  private record Pushed(Labels labels, long ts, String line) {}

  @Test
  void footerCountsEqualDecodedCountsAndLogQueriesKeepTheModelsOrder() {
    Random random = new Random(42);
    long fetchedCounting = 0;
    long fetchedDecoding = 0;
    long countedEntries = 0;
    for (int round = 0; round < 12; round++) {
      Path roundDir = dir.resolve("r" + round);
      try (LocalObjectStore local = new LocalObjectStore(roundDir)) {
        RecordingStore store = new RecordingStore(local);
        ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(),
            Clock.fixed(NOW, ZoneOffset.UTC));
        try {
          List<Pushed> model = new ArrayList<>();
          Map<String, List<LogEntry>> byChunk = new TreeMap<>();
          int streams = 1 + random.nextInt(4);
          for (int s = 0; s < streams; s++) {
            flushStream(random, store, index, Labels.of("app", "bench", "s", "s" + s), s, streams, model, byChunk);
          }
          StoreSource source = new StoreSource(store, index);
          long start = T0 + random.nextInt(20) * S;
          long end = T0 + (100 + random.nextInt(140)) * S;
          long width = (1 + random.nextInt(60)) * S / (1 + random.nextInt(3));
          long align = T0 + random.nextInt(1000) * (S / 10);

          store.rangedReads.clear();
          SampleResult counted = source.samples(new SampleRequest(List.of("fake"),
              "count_over_time({app=\"bench\"}[1m])", new Grouping(false, List.of()), start, end, width, align));
          fetchedCounting += store.rangedReads.size();
          store.rangedReads.clear();
          // a grouping that keeps labels: every entry is decoded (metadata could become a label)
          SampleResult decoded = source.samples(new SampleRequest(List.of("fake"),
              "count_over_time({app=\"bench\"}[1m])", new Grouping(false, List.of("app")), start, end, width, align));
          fetchedDecoding += store.rangedReads.size();

          Map<Long, Double> expected = new TreeMap<>();
          long inRange = 0;
          for (Pushed p : model) {
            if (p.ts() >= start && p.ts() < end) {
              inRange++;
              long k = Math.floorDiv(p.ts() - align - 1, width) + 1; // bucket (align + (k-1)w, align + kw]
              expected.merge(align + k * width, 1.0, Double::sum);
            }
          }
          assertThat(sum(counted, Labels.EMPTY)).as("round %d, footer counts", round).isEqualTo(expected);
          assertThat(sum(decoded, Labels.of("app", "bench"))).as("round %d, decoded", round).isEqualTo(expected);
          assertThat(counted.entriesScanned()).isEqualTo(inRange);
          assertThat(decoded.entriesScanned()).isEqualTo(inRange);
          countedEntries += inRange;

          // the store and an ingester that still holds every chunk the store has, told to leave them out
          // (query_ingesters_within 0: all the store's chunks are excluded), plus entries not flushed yet:
          // each entry is counted once
          List<LogEntry> head = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            head.add(new LogEntry(T0 + random.nextInt(250) * S + 7, "head " + i));
          }
          Map<Long, Double> withHead = new TreeMap<>(expected);
          for (LogEntry e : head) {
            if (e.timestampNanos() >= start && e.timestampNanos() < end) {
              long k = Math.floorDiv(e.timestampNanos() - align - 1, width) + 1;
              withHead.merge(align + k * width, 1.0, Double::sum);
            }
          }
          StoreThenIngestersSource both = new StoreThenIngestersSource(source, new Ingester(byChunk, head),
              Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC), pool);
          SampleResult all = both.samples(new SampleRequest(List.of("fake"), "count_over_time({app=\"bench\"}[1m])",
              new Grouping(false, List.of()), start, end, width, align));
          assertThat(sum(all, Labels.EMPTY)).as("round %d, store then ingesters", round).isEqualTo(withHead);

          for (Direction direction : Direction.values()) {
            int limit = 1 + random.nextInt(300);
            SelectResult logs = source.select(new SelectRequest(List.of("fake"), "{app=\"bench\"}", start, end,
                limit, direction));
            assertThat(flatten(logs)).as("round %d, %s, limit %d", round, direction, limit)
                .containsExactlyElementsOf(firstOf(model, start, end, limit, direction == Direction.FORWARD));
          }
        } finally {
          index.close();
        }
      }
    }
    assertThat(countedEntries).as("entries counted over all rounds").isGreaterThan(2_000);
    // narrow buckets and re-flushed stretches leave many blocks to decode in these rounds
    assertThat(fetchedCounting).as("ranged reads when counting footers vs decoding")
        .isLessThan(fetchedDecoding * 4 / 5);
  }

  @Test
  void onlyTheBlocksAnotherChunkSpansAndTheEdgesAreFetched() {
    try (LocalObjectStore local = new LocalObjectStore(dir)) {
      RecordingStore store = new RecordingStore(local);
      ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(),
          Clock.fixed(NOW, ZoneOffset.UTC));
      try {
        Labels labels = Labels.of("app", "bench");
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
          entries.add(new LogEntry(T0 + i * S, "line " + i));
        }
        Map<String, List<LogEntry>> byChunk = new TreeMap<>();
        flush(64, store, index, labels, entries.subList(0, 50), byChunk); // 1..50
        flush(64, store, index, labels, entries.subList(50, 100), byChunk); // 51..100
        flush(64, store, index, labels, entries.subList(39, 60), byChunk); // 40..60 again
        List<String> keys = new ArrayList<>(byChunk.keySet());
        StoreSource source = new StoreSource(store, index);

        // one bucket, (T0, T0 + 100s], and the range [T0 + 1s, T0 + 96s): line 96 and later are out
        store.rangedReads.clear();
        SampleResult r = source.samples(new SampleRequest(List.of("fake"), "count_over_time({app=\"bench\"}[1m])",
            new Grouping(false, List.of()), T0 + S, T0 + 96 * S, 100 * S, T0));

        assertThat(sum(r, Labels.EMPTY)).isEqualTo(Map.of(T0 + 100 * S, 95.0));
        for (String key : keys) {
          List<LogEntry> held = byChunk.get(key);
          long first = held.get(0).timestampNanos();
          // fetched: the footer, then each block spanned by another chunk or reaching past the range (a
          // block wholly past it is not read at all)
          long expectedReads = 1;
          for (var b : ChunkReader.of(key, local.get(key).orElseThrow()).blocks()) {
            boolean spanned = first == T0 + 40 * S // the re-flushed chunk: all of it lies in the others
                || b.maxTs() >= T0 + 40 * S && b.minTs() <= T0 + 60 * S;
            if (b.minTs() < T0 + 96 * S && (spanned || b.maxTs() >= T0 + 96 * S)) {
              expectedReads++;
            }
          }
          assertThat(store.readsOf(key)).as("reads of the chunk starting with %s", held.get(0).line())
              .isEqualTo(expectedReads);
        }
        assertThat(store.readsOf(keys.get(0)) + store.readsOf(keys.get(1)) + store.readsOf(keys.get(2)))
            .as("fewer reads than one per block").isLessThan(3 + blocks(local, keys) / 2);
      } finally {
        index.close();
      }
    }
  }

  private static long blocks(LocalObjectStore local, List<String> keys) {
    long n = 0;
    for (String key : keys) {
      n += ChunkReader.of(key, local.get(key).orElseThrow()).blocks().size();
    }
    return n;
  }

  /**
   * One stream: entries a second or so apart (a tenth of the time two or three lines at one
   * timestamp), timestamps in their own residue class so streams never share one; cut into chunks of
   * random block sizes, and two random stretches flushed once more.
   */
  private static void flushStream(Random random, RecordingStore store, ObjectStoreChunkIndex index, Labels labels,
      int s, int streams, List<Pushed> model, Map<String, List<LogEntry>> byChunk) {
    List<LogEntry> entries = new ArrayList<>();
    long ts = T0 + s;
    int n = 150 + random.nextInt(250);
    while (entries.size() < n) {
      ts += streams * (1 + random.nextInt(600)) * 1_000_000L;
      int same = random.nextInt(10) == 0 ? 2 + random.nextInt(2) : 1;
      for (int j = 0; j < same; j++) {
        String line = "line " + entries.size() + " of " + labels.get("s") + " " + "x".repeat(random.nextInt(30));
        Labels md = random.nextInt(5) == 0 ? Labels.of("trace", "t" + random.nextInt(3)) : Labels.EMPTY;
        entries.add(new LogEntry(ts, line, md));
        model.add(new Pushed(labels, ts, line));
      }
    }
    int from = 0;
    while (from < entries.size()) {
      int to = Math.min(entries.size(), from + 20 + random.nextInt(120));
      while (to < entries.size() && entries.get(to).timestampNanos() == entries.get(to - 1).timestampNanos()) {
        to++; // a chunk ends between timestamps, as a flush cuts
      }
      flush(40 + random.nextInt(600), store, index, labels, entries.subList(from, to), byChunk);
      from = to;
    }
    for (int again = 0; again < 2; again++) {
      int a = random.nextInt(entries.size());
      int b = Math.min(entries.size(), a + 1 + random.nextInt(80));
      flush(40 + random.nextInt(600), store, index, labels, entries.subList(a, b), byChunk);
    }
  }

  private static void flush(int blockSize, RecordingStore store, ObjectStoreChunkIndex index, Labels labels,
      List<LogEntry> entries, Map<String, List<LogEntry>> byChunk) {
    byte[] bytes = ChunkEncoder.encode("fake", labels, entries, ChunkCodec.DEFAULT, blockSize);
    ChunkKey key = ChunkKey.of(ChunkReader.of("new chunk", bytes).footer(), bytes);
    store.put(key.key(), bytes);
    index.add(List.of(new ChunkRef(key, labels, bytes.length, entries.size())));
    byChunk.put(key.key(), List.copyOf(entries));
  }

  /** Sums every series of {@code r} (all labelled {@code labels}) per timestamp. */
  private static Map<Long, Double> sum(SampleResult r, Labels labels) {
    Map<Long, Double> out = new TreeMap<>();
    for (TenantSamples s : r.series()) {
      assertThat(s.labels()).isEqualTo(labels);
      for (int i = 0; i < s.timestamps().length; i++) {
        out.merge(s.timestamps()[i], s.values()[i], Double::sum);
      }
    }
    return out;
  }

  private static List<String> flatten(SelectResult r) {
    List<String> out = new ArrayList<>();
    for (TenantStream s : r.streams()) {
      for (Entry e : s.entries()) {
        out.add(e.tsNanos() + " " + e.line());
      }
    }
    return out.stream().sorted().toList();
  }

  /** The model's first {@code limit} distinct entries in the range by time (streams never share a timestamp). */
  private static List<String> firstOf(List<Pushed> model, long start, long end, int limit, boolean forward) {
    List<Pushed> in = new ArrayList<>();
    for (Pushed p : model) {
      if (p.ts() >= start && p.ts() < end) {
        in.add(p);
      }
    }
    in.sort(Comparator.comparingLong(Pushed::ts)); // stable: push order at one time
    if (!forward) {
      java.util.Collections.reverse(in);
    }
    return in.subList(0, Math.min(limit, in.size())).stream().map(p -> p.ts() + " " + p.line()).sorted().toList();
  }

  /**
   * An ingester still holding every chunk the store has (as after flushing, for chunk_retain_period)
   * and a head of entries not flushed: it counts the in-range entries of the head and of the chunks
   * it is not told to leave out, repeats once. Thread-safe.
   */
  private record Ingester(Map<String, List<LogEntry>> chunks, List<LogEntry> head) implements LogSource {
    @Override
    public SampleResult samples(SampleRequest r) {
      Set<String> seen = new HashSet<>();
      Map<Long, Double> buckets = new TreeMap<>();
      for (LogEntry e : head) {
        if (e.timestampNanos() >= r.startNanos() && e.timestampNanos() < r.endNanos()) {
          buckets.merge(r.bucketOf(e.timestampNanos()), 1.0, Double::sum);
        }
      }
      for (Map.Entry<String, List<LogEntry>> c : chunks.entrySet()) {
        if (r.excludeChunks().contains(c.getKey())) {
          continue;
        }
        for (LogEntry e : c.getValue()) {
          if (e.timestampNanos() >= r.startNanos() && e.timestampNanos() < r.endNanos()
              && seen.add(e.timestampNanos() + " " + e.line())) {
            buckets.merge(r.bucketOf(e.timestampNanos()), 1.0, Double::sum);
          }
        }
      }
      long[] ts = buckets.keySet().stream().mapToLong(Long::longValue).toArray();
      double[] vs = buckets.values().stream().mapToDouble(Double::doubleValue).toArray();
      return new SampleResult(ts.length == 0 ? List.of() : List.of(new TenantSamples("fake", Labels.EMPTY, ts, vs)), 1);
    }

    @Override
    public SelectResult select(SelectRequest request) {
      return SelectResult.EMPTY;
    }

    @Override
    public List<String> labels(LabelsRequest request) {
      return List.of();
    }

    @Override
    public List<TenantSeries> series(SeriesRequest request) {
      return List.of();
    }
  }
}
