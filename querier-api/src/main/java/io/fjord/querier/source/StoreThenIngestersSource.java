package io.fjord.querier.source;

import io.fjord.common.http.ApiException;
import io.fjord.querier.source.store.StoreSource;
import io.fjord.store.index.ChunkRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The querier's whole view of the data: the chunk store, over the whole range, and the ingesters
 * (only for ranges reaching within {@code query_ingesters_within} of now, as
 * {@link RecentOnlySource} decides), told to leave out the flushed chunks the store part covers
 * ({@code excludeChunks}, schemas/FORMATS.md). The chunk index is read first, since it says which
 * chunks those are; the ingesters are then asked (on {@code executor}) while the store's chunks are
 * read, so a query takes the longer of the two rather than their sum. Log answers are concatenated
 * for the engine to merge and de-duplicate; samples are added up, exact because no chunk is counted
 * by both. If either part fails the query fails with that part's error.
 *
 * <p>Which chunks are excluded: those the store part selected whose newest entry lies within
 * {@code query_ingesters_within} of now ({@code 0}: all of them). An ingester holds a flushed chunk
 * only for {@code chunk_retain_period} after flushing it, and flushes a chunk at the latest
 * {@code max_chunk_age} after its first entry, so older chunks cannot be in any ingester's memory
 * as long as {@code query_ingesters_within} exceeds those two (Loki's own rule for this setting).
 * That keeps the list to the chunks of the last few hours of the selected streams; it is further
 * bounded by {@link #MAX_EXCLUDED_CHUNKS}: a log query then sends the newest that many (the engine
 * de-duplicates whatever the ingesters repeat), a samples request, which would count entries
 * twice, is refused with a 400 asking for a narrower selector or range. The rule assumes flushes
 * keep up: a chunk whose flush was held back (store outage) for longer than
 * {@code query_ingesters_within} minus {@code chunk_retain_period} is flushed with entries older
 * than the window while its ingester still holds it, and a samples query over those entries in the
 * following {@code chunk_retain_period} may count them twice.
 *
 * <p>Thread-safe if both sources are.
 */
public final class StoreThenIngestersSource implements LogSource {
  /** The most chunk keys one request to the ingesters carries (about 70 bytes each on the wire). */
  public static final int MAX_EXCLUDED_CHUNKS = 20_000;

  private final StoreSource store;
  private final LogSource ingesters;
  private final long withinNanos;
  private final Clock clock;
  private final Executor executor;
  private final int maxExcluded;

  /**
   * @param ingesters the ingesters, asked only about ranges reaching within {@code within} of now
   * @param within Loki's {@code query_ingesters_within}
   * @param executor runs the (blocking) request to the ingesters while the store is read; it must
   *     not queue behind the query's own thread (e.g. a cached thread pool)
   */
  public StoreThenIngestersSource(StoreSource store, LogSource ingesters, Duration within, Clock clock,
      Executor executor) {
    this(store, ingesters, within, clock, executor, MAX_EXCLUDED_CHUNKS);
  }

  StoreThenIngestersSource(StoreSource store, LogSource ingesters, Duration within, Clock clock, Executor executor,
      int maxExcluded) {
    this.store = store;
    this.ingesters = new RecentOnlySource(ingesters, within, clock);
    this.withinNanos = within.toNanos();
    this.clock = clock;
    this.executor = executor;
    this.maxExcluded = maxExcluded;
  }

  @Override
  public SelectResult select(SelectRequest request) {
    StoreSource.Plan<SelectResult> plan = store.planSelect(request);
    List<String> exclude = excluded(plan.chunks());
    if (exclude.size() > maxExcluded) {
      exclude = exclude.subList(0, maxExcluded);
    }
    SelectRequest toIngesters = request.excluding(exclude);
    CompletableFuture<SelectResult> asked = CompletableFuture.supplyAsync(() -> ingesters.select(toIngesters), executor);
    SelectResult stored = readOrCancel(plan, asked);
    SelectResult recent = join(asked);
    List<TenantStream> streams = new ArrayList<>(stored.streams());
    streams.addAll(recent.streams());
    return new SelectResult(streams, recent.ingestersReached(), stored.entriesScanned() + recent.entriesScanned(),
        stored.bytesScanned() + recent.bytesScanned());
  }

  @Override
  public SampleResult samples(SampleRequest request) {
    StoreSource.Plan<SampleResult> plan = store.planSamples(request);
    List<String> exclude = excluded(plan.chunks());
    if (exclude.size() > maxExcluded) {
      throw ApiException.badRequest("the query covers " + exclude.size() + " chunks flushed within "
          + Duration.ofNanos(withinNanos) + " (querier.query_ingesters_within), more than the "
          + maxExcluded + " that can be told apart from the ingesters' data; narrow the stream selector "
          + "or the time range");
    }
    SampleRequest toIngesters = request.excluding(exclude);
    CompletableFuture<SampleResult> asked =
        CompletableFuture.supplyAsync(() -> ingesters.samples(toIngesters), executor);
    SampleResult stored = readOrCancel(plan, asked);
    SampleResult recent = join(asked);
    List<TenantSamples> series = new ArrayList<>(stored.series());
    series.addAll(recent.series());
    return new SampleResult(series, recent.ingestersReached(), stored.entriesScanned() + recent.entriesScanned(),
        stored.bytesScanned() + recent.bytesScanned());
  }

  /** Reads the store's part; if that fails, the ingesters' answer is not waited for. */
  private static <R> R readOrCancel(StoreSource.Plan<R> plan, CompletableFuture<?> asked) {
    try {
      return plan.read();
    } catch (RuntimeException e) {
      asked.cancel(true);
      throw e;
    }
  }

  /** The ingesters' answer, or their failure as it was thrown. */
  private static <R> R join(CompletableFuture<R> asked) {
    try {
      return asked.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  @Override
  public List<String> labels(LabelsRequest request) {
    List<String> out = new ArrayList<>(store.labels(request));
    out.addAll(ingesters.labels(request));
    return out;
  }

  @Override
  public List<TenantSeries> series(SeriesRequest request) {
    List<TenantSeries> out = new ArrayList<>(store.series(request));
    out.addAll(ingesters.series(request));
    return out;
  }

  /** The keys of the chunks an ingester may still hold, newest first, each once. */
  private List<String> excluded(List<ChunkRef> chunks) {
    long oldest = withinNanos == 0 ? Long.MIN_VALUE
        : Math.multiplyExact(clock.millis(), 1_000_000L) - withinNanos;
    List<ChunkRef> recent = new ArrayList<>();
    for (ChunkRef c : chunks) {
      if (c.throughNanos() >= oldest) {
        recent.add(c);
      }
    }
    recent.sort(Comparator.comparingLong(ChunkRef::throughNanos).reversed().thenComparing(ChunkRef::key));
    Set<String> keys = new LinkedHashSet<>();
    recent.forEach(c -> keys.add(c.key()));
    return List.copyOf(keys);
  }
}
