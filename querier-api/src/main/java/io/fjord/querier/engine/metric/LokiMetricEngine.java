package io.fjord.querier.engine.metric;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.ApiException;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.Printer;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.ast.SampleExpr;
import io.fjord.logql.eval.SampleExtractor;
import io.fjord.querier.engine.BoundedParallel;
import io.fjord.querier.engine.MatrixResult;
import io.fjord.querier.engine.MetricEngine;
import io.fjord.querier.engine.MetricSeries;
import io.fjord.querier.engine.QueryResult;
import io.fjord.querier.engine.QuerySplit;
import io.fjord.querier.engine.QueryStats;
import io.fjord.querier.engine.RangeQuery;
import io.fjord.querier.engine.ScalarResult;
import io.fjord.querier.engine.SplitPool;
import io.fjord.querier.engine.StreamMerger;
import io.fjord.querier.engine.VectorResult;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.TenantSamples;
import io.fjord.schemas.labels.Labels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MetricEngine} of the querier: evaluates metric queries with an {@link Evaluator},
 * fetching the samples of each range aggregation from a {@link LogSource} (the range aggregation
 * travels as LogQL text). Samples of tenants the query did not name are dropped; with several
 * tenants every series is labelled {@code __tenant_id__} (unless a {@code by} grouping leaves it
 * out). A query that cannot be answered ({@link EvaluationException}) is a 400 with the reason.
 *
 * <p>Each sample fetch is split by time ({@link TimeSplits}, {@code split_queries_by_interval}) and
 * the splits are fetched in parallel on a shared pool, at most {@code max_query_parallelism} at
 * once ({@link BoundedParallel}); since every entry falls in exactly one split and splits cut a
 * bucket only where its partial sums are integers, the evaluator computes from the merged samples
 * exactly what it computes from one unsplit fetch. Thread-safe; holds no per-query
 * state.
 */
public final class LokiMetricEngine implements MetricEngine {
  private static final Logger log = LoggerFactory.getLogger(LokiMetricEngine.class);
  private static final QuerySplit DEFAULT_SPLIT = QuerySplit.of(LimitsConfig.defaults());

  private final LogSource source;
  private final int maxQuerySeries;
  private final Clock clock;
  private final ExecutorService splitPool;

  /**
   * @param maxQuerySeries the most series a result may hold ({@code max_query_series}); 0 or
   *     less means no limit
   */
  public LokiMetricEngine(LogSource source, int maxQuerySeries, Clock clock) {
    this(source, maxQuerySeries, clock, SplitPool.shared());
  }

  /** An engine whose splits run on {@code splitPool} (which the caller owns and shuts down). */
  public LokiMetricEngine(LogSource source, int maxQuerySeries, Clock clock, ExecutorService splitPool) {
    this.source = source;
    this.maxQuerySeries = maxQuerySeries > 0 ? maxQuerySeries : Integer.MAX_VALUE;
    this.clock = clock;
    this.splitPool = splitPool;
  }

  @Override
  public QueryResult rangeQuery(SampleExpr expr, List<String> tenants, RangeQuery query) {
    return rangeQuery(expr, tenants, query, DEFAULT_SPLIT);
  }

  @Override
  public QueryResult instantQuery(SampleExpr expr, List<String> tenants, long timeNanos) {
    return instantQuery(expr, tenants, timeNanos, DEFAULT_SPLIT);
  }

  @Override
  public QueryResult rangeQuery(SampleExpr expr, List<String> tenants, RangeQuery query, QuerySplit split) {
    Instant began = clock.instant();
    Fetcher fetcher = new Fetcher(tenants, split);
    StepGrid grid = new StepGrid(query.startNanos(), query.endNanos(), query.stepNanos());
    List<MetricSeries> series;
    try {
      series = new Evaluator(grid, fetcher, maxQuerySeries).range(expr);
    } catch (EvaluationException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    return new MatrixResult(series, fetcher.stats(began));
  }

  @Override
  public QueryResult instantQuery(SampleExpr expr, List<String> tenants, long timeNanos, QuerySplit split) {
    Instant began = clock.instant();
    Fetcher fetcher = new Fetcher(tenants, split);
    Evaluator.Instant value;
    try {
      value = new Evaluator(StepGrid.instant(timeNanos), fetcher, maxQuerySeries).instant(expr);
    } catch (EvaluationException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (value instanceof Evaluator.ScalarValue s) {
      return new ScalarResult(timeNanos, s.value(), fetcher.stats(began));
    }
    return new VectorResult(timeNanos, ((Evaluator.VectorValue) value).samples(), fetcher.stats(began));
  }

  /** Fetches for one query (its splits in parallel) and counts what it fetched; used by one thread. */
  private final class Fetcher implements SampleFetcher {
    private final List<String> tenants;
    private final Set<String> asked;
    private final QuerySplit split;
    private long entries;
    private long bytes;
    private int ingestersReached;

    Fetcher(List<String> tenants, QuerySplit split) {
      this.tenants = tenants;
      this.asked = new HashSet<>(tenants);
      this.split = split;
    }

    @Override
    public List<SeriesSamples> fetch(RangeAggregationExpr expr, Grouping pushedGrouping, Span span) {
      if (span.toNanos() <= span.fromNanos()) {
        return List.of();
      }
      String query = Printer.print(expr);
      List<Callable<SampleResult>> tasks = new ArrayList<>();
      boolean integerSamples = SampleExtractor.kind(expr.op(), expr.range().unwrap().isPresent())
          != SampleExtractor.Kind.UNWRAP;
      for (Span part : TimeSplits.split(span, split.intervalNanos(), integerSamples)) {
        SampleRequest request = new SampleRequest(tenants, query, pushedGrouping, part.fromNanos(), part.toNanos(),
            part.bucketWidthNanos(), part.bucketAlignNanos());
        tasks.add(() -> source.samples(request));
      }
      Grouping grouping = pushedGrouping != null ? pushedGrouping : expr.grouping().orElse(null);
      boolean labelTenants = tenants.size() > 1 && keepsTenantLabel(grouping);
      Map<Labels, List<SeriesSamples>> byLabels = new TreeMap<>();
      // in time order: each series' parts are then already sorted among themselves
      for (SampleResult result : BoundedParallel.run(splitPool, split.maxParallelism(), tasks)) {
        ingestersReached = Math.max(ingestersReached, result.ingestersReached());
        entries += result.entriesScanned();
        bytes += result.bytesScanned();
        for (TenantSamples s : result.series()) {
          if (!asked.contains(s.tenant())) {
            log.warn("dropping samples of tenant {} that the query did not ask for", s.tenant());
            continue;
          }
          Labels labels = labelTenants ? s.labels().merge(Labels.of(StreamMerger.TENANT_LABEL, s.tenant()))
              : s.labels();
          byLabels.computeIfAbsent(labels, l -> new ArrayList<>())
              .add(new SeriesSamples(labels, s.timestamps(), s.values()));
        }
      }
      List<SeriesSamples> out = new ArrayList<>(byLabels.size());
      byLabels.forEach((labels, parts) -> out.add(SeriesSamples.merge(labels, parts)));
      return out;
    }

    private boolean keepsTenantLabel(Grouping g) {
      if (g == null) {
        return true;
      }
      return g.without() != g.labels().contains(StreamMerger.TENANT_LABEL);
    }

    QueryStats stats(Instant began) {
      double seconds = Duration.between(began, clock.instant()).toNanos() / 1e9;
      return new QueryStats(seconds, entries, bytes, 0, ingestersReached, 0);
    }
  }
}
