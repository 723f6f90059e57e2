package io.fjord.querier.engine;

import io.fjord.common.http.ApiException;
import io.fjord.logql.LogQL;
import io.fjord.logql.LogQLException;
import io.fjord.logql.ast.Expr;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.Printer;
import io.fjord.logql.ast.SampleExpr;
import io.fjord.querier.engine.metric.SampleFetcher;
import io.fjord.querier.engine.metric.TimeSplits;
import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.TenantSeries;
import io.fjord.querier.source.TenantStream;
import io.fjord.schemas.labels.Labels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the querier's queries against a {@link LogSource}: parses and validates the LogQL, sends log
 * queries to the source and merges what it returns ({@link StreamMerger}), hands metric queries to
 * the {@link MetricEngine}, and answers label and series lookups. Whatever a source returns for a
 * tenant the caller did not ask for is dropped (tenant isolation does not rest on the sources
 * alone). Thread-safe; holds no per-query state.
 *
 * <p>A log query over more than {@code split_queries_by_interval} is read in time intervals walked
 * in the query's direction, {@code max_query_parallelism} at a time, and stops once {@code limit}
 * entries are in: a query for the newest 100 lines of 30 days reads the last hour first, and no
 * more when that hour has them. Entries with one timestamp always fall in one interval, so the
 * answer is exactly the unsplit one.
 */
public final class QueryService {
  private static final Logger log = LoggerFactory.getLogger(QueryService.class);

  private final LogSource source;
  private final MetricEngine metrics;
  private final RequestLimits limits;
  private final Clock clock;
  private final IndexStatistics index;
  private final ExecutorService splitPool;

  public QueryService(LogSource source, MetricEngine metrics, RequestLimits limits, Clock clock) {
    this(source, metrics, limits, clock, SplitPool.shared());
  }

  /** A service whose log query splits run on {@code splitPool} (which the caller owns). */
  public QueryService(LogSource source, MetricEngine metrics, RequestLimits limits, Clock clock,
      ExecutorService splitPool) {
    this.source = source;
    this.metrics = metrics;
    this.limits = limits;
    this.clock = clock;
    this.index = new IndexStatistics(source, limits, clock);
    this.splitPool = splitPool;
  }

  /** {@code index/stats}, {@code index/volume} and {@code index/volume_range}. */
  public IndexStatistics index() {
    return index;
  }

  /** {@code query_range}: a log query's streams, or a metric query's matrix. */
  public QueryResult rangeQuery(List<String> tenants, RangeQuery q) {
    limits.check(q);
    Expr expr = parse(q.query());
    if (expr instanceof SampleExpr sample) {
      return metrics.rangeQuery(sample, tenants, q, limits.split());
    }
    return logQuery(tenants, (LogSelectorExpr) expr, q);
  }

  /** {@code query}: metric queries only; a log query is a 400, as in Loki. */
  public QueryResult instantQuery(List<String> tenants, String query, long timeNanos, int limit) {
    limits.checkEntryLimit(limit);
    Expr expr = parse(query);
    if (expr instanceof SampleExpr sample) {
      return metrics.instantQuery(sample, tenants, timeNanos, limits.split());
    }
    throw ApiException.badRequest(
        "log queries are not supported as an instant query type, please change your query to a range query type");
  }

  /**
   * {@code format_query}: the query in Loki's canonical text (matchers, strings and durations
   * written one way, binary operations parenthesised); a query that does not parse is a 400.
   */
  public String format(String query) {
    return Printer.print(parse(query));
  }

  /**
   * Checks a {@code tail} request before it starts: the query must be a log query (Loki parses it
   * as a log selector, so a metric query is a parse error) and the limit within
   * {@code max_entries_limit_per_query}. Throws a 400 otherwise.
   */
  public void checkTail(String query, int limit) {
    limits.checkEntryLimit(limit);
    if (query == null || query.isBlank()) {
      throw ApiException.badRequest("query parameter is required");
    }
    parseSelector(query);
  }

  /**
   * One poll of a tail: the log query's entries in {@code startNanos <= ts < endNanos}, merged and
   * de-duplicated as for {@code query_range}, the first {@code limit} in {@code direction}. No range
   * or step limits apply (a tail's range is its own business, bounded by its cursor).
   */
  public StreamsResult tailQuery(List<String> tenants, String query, long startNanos, long endNanos, int limit,
      Direction direction) {
    LogSelectorExpr expr = parseSelector(query);
    return logQuery(tenants, expr, new RangeQuery(query, startNanos, endNanos, limit, direction, 1, 0));
  }

  /**
   * {@code detected_labels}: every label name of the streams with data in the range (matching
   * {@code selector} when it is not null) with the number of distinct values it has, sorted by
   * name. Unlike Loki, which estimates cardinalities with sketches and leaves some labels out, the
   * counts are exact and no label is left out.
   */
  public SortedMap<String, Integer> detectedLabels(List<String> tenants, long startNanos, long endNanos,
      String selector) {
    limits.checkRange(startNanos, endNanos);
    List<String> match = List.of();
    if (selector != null) {
      parseSelector(selector);
      match = List.of(selector);
    }
    Set<String> asked = new HashSet<>(tenants);
    Map<String, Set<String>> values = new TreeMap<>();
    for (TenantSeries s : source.series(new SeriesRequest(tenants, startNanos, endNanos, match))) {
      if (!asked.contains(s.tenant())) {
        continue;
      }
      for (int i = 0; i < s.labels().size(); i++) {
        values.computeIfAbsent(s.labels().name(i), k -> new HashSet<>()).add(s.labels().value(i));
      }
    }
    SortedMap<String, Integer> out = new TreeMap<>();
    values.forEach((name, v) -> out.put(name, v.size()));
    return out;
  }

  /**
   * The fields of the newest {@code lineLimit} lines of a log query in the range ({@code
   * detected_fields} and {@code detected_field/<name>/values}), found by {@link DetectedFields}.
   */
  public DetectedFields detectFields(List<String> tenants, String query, long startNanos, long endNanos,
      int lineLimit) {
    limits.checkRange(startNanos, endNanos);
    if (query == null || query.isBlank()) {
      throw ApiException.badRequest("query parameter is required");
    }
    LogSelectorExpr expr = parseSelector(query);
    StreamsResult lines = logQuery(tenants, expr,
        new RangeQuery(query, startNanos, endNanos, lineLimit, Direction.BACKWARD, 1, 0));
    DetectedFields fields = new DetectedFields();
    for (ResultStream s : lines.streams()) {
      s.entries().forEach(fields::add);
    }
    return fields;
  }

  /** Label names ({@code name == null}) or values of {@code name}, sorted and distinct. */
  public List<String> labels(List<String> tenants, long startNanos, long endNanos, String name, String selector) {
    limits.checkRange(startNanos, endNanos);
    if (selector != null) {
      parseSelector(selector);
    }
    return List.copyOf(new TreeSet<>(source.labels(new LabelsRequest(tenants, startNanos, endNanos, name, selector))));
  }

  /** The distinct series matching any of {@code match}, sorted by labels. */
  public List<Labels> series(List<String> tenants, long startNanos, long endNanos, List<String> match) {
    limits.checkRange(startNanos, endNanos);
    if (match.isEmpty()) {
      throw ApiException.badRequest("0 matcher groups supplied");
    }
    match.forEach(QueryService::parseSelector);
    Set<String> asked = new HashSet<>(tenants);
    boolean labelTenants = tenants.size() > 1;
    TreeSet<Labels> out = new TreeSet<>();
    for (TenantSeries s : source.series(new SeriesRequest(tenants, startNanos, endNanos, match))) {
      if (!asked.contains(s.tenant())) {
        log.warn("dropping a series of tenant {} that the query did not ask for", s.tenant());
        continue;
      }
      out.add(labelTenants ? s.labels().merge(Labels.of(StreamMerger.TENANT_LABEL, s.tenant())) : s.labels());
    }
    return List.copyOf(out);
  }

  private StreamsResult logQuery(List<String> tenants, LogSelectorExpr expr, RangeQuery q) {
    Instant began = clock.instant();
    QuerySplit split = limits.split();
    List<SampleFetcher.Span> parts = new ArrayList<>(
        TimeSplits.split(new SampleFetcher.Span(q.startNanos(), q.endNanos()), split.intervalNanos()));
    if (q.direction() == Direction.BACKWARD) {
      Collections.reverse(parts);
    }
    boolean labelTenants = tenants.size() > 1;
    Map<Labels, List<Entry>> kept = new TreeMap<>();
    long linesIn = 0;
    long bytesIn = 0;
    long duplicates = 0;
    long taken = 0;
    int ingestersReached = 0;
    int next = 0;
    do {
      // the next batch of intervals, each asked for all the entries still missing
      int remaining = (int) Math.max(0, q.limit() - taken);
      List<SampleFetcher.Span> batch = parts.subList(next, Math.min(parts.size(), next + split.maxParallelism()));
      next += batch.size();
      List<Callable<SelectResult>> tasks = new ArrayList<>(batch.size());
      for (SampleFetcher.Span part : batch) {
        SelectRequest request = new SelectRequest(tenants, q.query(), part.fromNanos(), part.toNanos(), remaining,
            q.direction());
        tasks.add(() -> source.select(request));
      }
      List<SelectResult> results = BoundedParallel.run(splitPool, split.maxParallelism(), tasks);
      for (int i = 0; i < results.size(); i++) {
        SelectResult selected = results.get(i);
        ingestersReached = Math.max(ingestersReached, selected.ingestersReached());
        StreamMerger.Merged merged = StreamMerger.merge(ownTenantsOnly(tenants, selected.streams()), labelTenants,
            batch.get(i).fromNanos(), batch.get(i).toNanos(), (int) Math.max(0, q.limit() - taken), q.direction());
        // Loki's "processed" counts what was read before the filters; a source that does not say falls
        // back to what it returned
        boolean scanned = selected.entriesScanned() > 0 || selected.bytesScanned() > 0;
        linesIn += scanned ? selected.entriesScanned() : merged.linesIn();
        bytesIn += scanned ? selected.bytesScanned() : merged.bytesIn();
        duplicates += merged.duplicates();
        taken += merged.entriesOut();
        for (ResultStream s : merged.streams()) {
          kept.computeIfAbsent(s.labels(), k -> new ArrayList<>()).addAll(s.entries());
        }
      }
    } while (next < parts.size() && taken < q.limit());
    List<ResultStream> streams = new ArrayList<>(kept.size());
    kept.forEach((labels, entries) -> streams.add(new ResultStream(labels, entries)));
    double seconds = Duration.between(began, clock.instant()).toNanos() / 1e9;
    QueryStats stats = new QueryStats(seconds, linesIn, bytesIn, taken, ingestersReached, duplicates);
    return new StreamsResult(streams, stats);
  }

  private static List<TenantStream> ownTenantsOnly(List<String> tenants, List<TenantStream> streams) {
    Set<String> asked = new HashSet<>(tenants);
    List<TenantStream> out = new ArrayList<>(streams.size());
    for (TenantStream s : streams) {
      if (asked.contains(s.tenant())) {
        out.add(s);
      } else {
        log.warn("dropping a stream of tenant {} that the query did not ask for", s.tenant());
      }
    }
    return out;
  }

  private static Expr parse(String query) {
    if (query == null || query.isBlank()) {
      throw ApiException.badRequest("query parameter is required");
    }
    try {
      return LogQL.parse(query);
    } catch (LogQLException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static LogSelectorExpr parseSelector(String selector) {
    try {
      return LogQL.parseSelector(selector);
    } catch (LogQLException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
