package io.fjord.querier.engine;

import io.fjord.common.http.ApiException;
import io.fjord.logql.LogQL;
import io.fjord.logql.LogQLException;
import io.fjord.logql.ast.Expr;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.Printer;
import io.fjord.logql.ast.SampleExpr;
import io.fjord.querier.source.Direction;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the querier's queries against a {@link LogSource}: parses and validates the LogQL, sends log
 * queries to the source and merges what it returns ({@link StreamMerger}), hands metric queries to
 * the {@link MetricEngine}, and answers label and series lookups. Whatever a source returns for a
 * tenant the caller did not ask for is dropped (tenant isolation does not rest on the sources
 * alone). Thread-safe; holds no per-query state.
 */
public final class QueryService {
  private static final Logger log = LoggerFactory.getLogger(QueryService.class);

  private final LogSource source;
  private final MetricEngine metrics;
  private final RequestLimits limits;
  private final Clock clock;
  private final IndexStatistics index;

  public QueryService(LogSource source, MetricEngine metrics, RequestLimits limits, Clock clock) {
    this.source = source;
    this.metrics = metrics;
    this.limits = limits;
    this.clock = clock;
    this.index = new IndexStatistics(source, limits, clock);
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
    SelectResult selected = source.select(
        new SelectRequest(tenants, q.query(), q.startNanos(), q.endNanos(), q.limit(), q.direction()));
    List<TenantStream> streams = ownTenantsOnly(tenants, selected.streams());
    StreamMerger.Merged merged = StreamMerger.merge(streams, tenants.size() > 1, q.startNanos(), q.endNanos(),
        q.limit(), q.direction());
    double seconds = Duration.between(began, clock.instant()).toNanos() / 1e9;
    QueryStats stats = new QueryStats(seconds, merged.linesIn(), merged.bytesIn(), merged.entriesOut(),
        selected.ingestersReached(), merged.duplicates());
    return new StreamsResult(merged.streams(), stats);
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
