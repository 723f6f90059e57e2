package io.fjord.querier.engine;

import io.fjord.common.http.ApiException;
import io.fjord.logql.LogQL;
import io.fjord.logql.LogQLException;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.TenantSamples;
import io.fjord.schemas.labels.Labels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Loki's index statistics ({@code index/stats}) and log volumes ({@code index/volume},
 * {@code index/volume_range}) for a stream selector. They are computed from the sources' samples
 * of {@code bytes_over_time} and {@code count_over_time} over the selector, summed into one bucket
 * per range (or per step), so no protocol of their own is needed and every entry is counted once
 * even while partitions move between ingesters ({@link LogSource#samples}). Only the selector's
 * matchers count; a pipeline is ignored, as the index knows nothing of lines. Thread-safe;
 * stateless.
 */
public final class IndexStatistics {
  /** How the volume is grouped: by the selected label values ({@code series}) or by label name. */
  public enum AggregateBy { SERIES, LABELS }

  /** Loki's {@code index/stats} answer. {@code chunks}: one open chunk per stream held in memory. */
  public record Stats(long streams, long chunks, long bytes, long entries) {}

  private final LogSource source;
  private final RequestLimits limits;
  private final Clock clock;

  public IndexStatistics(LogSource source, RequestLimits limits, Clock clock) {
    this.source = source;
    this.limits = limits;
    this.clock = clock;
  }

  /** The streams, bytes and entries of the selected streams in {@code start <= ts < end}. */
  public Stats stats(List<String> tenants, String query, long startNanos, long endNanos) {
    limits.checkRange(startNanos, endNanos);
    String selector = selector(query);
    long width = endNanos - startNanos + 1;
    SampleResult bytes = source.samples(new SampleRequest(tenants, "bytes_over_time(" + selector + "[1s])", null,
        startNanos, endNanos, width, endNanos));
    SampleResult count = source.samples(new SampleRequest(tenants, "count_over_time(" + selector + "[1s])", null,
        startNanos, endNanos, width, endNanos));
    Set<String> asked = new HashSet<>(tenants);
    Set<List<Object>> streams = new HashSet<>();
    long totalBytes = 0;
    for (TenantSamples s : bytes.series()) {
      if (asked.contains(s.tenant())) {
        streams.add(List.of(s.tenant(), s.labels()));
        totalBytes += (long) sum(s.values());
      }
    }
    long entries = 0;
    for (TenantSamples s : count.series()) {
      if (asked.contains(s.tenant())) {
        entries += (long) sum(s.values());
      }
    }
    return new Stats(streams.size(), streams.size(), totalBytes, entries);
  }

  /**
   * The bytes of the selected streams, grouped by {@code targetLabels} or, when there are none, by
   * the labels the selector names ({@code series}); or, with {@code labels}, by label name: each
   * stream's bytes count for every label name it has (only the target labels' when given), under
   * the label set {@code {name=""}}: with {@code stepNanos == 0} one sample per group at {@code end}
   * (a vector, largest first), else one per step (a matrix); at most {@code limit} groups, the
   * largest.
   */
  public QueryResult volume(List<String> tenants, String query, long startNanos, long endNanos, int limit,
      List<String> targetLabels, AggregateBy aggregateBy, long stepNanos) {
    limits.checkRange(startNanos, endNanos);
    if (stepNanos > 0) {
      limits.checkStep(startNanos, endNanos, stepNanos);
    }
    Instant began = clock.instant();
    LogSelectorExpr expr = parse(query);
    List<String> by = targetLabels.isEmpty()
        ? List.copyOf(new LinkedHashSet<>(expr.matchers().stream().map(LabelMatcher::name).toList()))
        : targetLabels;
    long width = stepNanos > 0 ? stepNanos : endNanos - startNanos + 1;
    long align = stepNanos > 0 ? startNanos : endNanos;
    boolean byLabelName = aggregateBy == AggregateBy.LABELS;
    // by label name: per stream, then each of its label names (or of the target labels) is a group
    SampleResult bytes = source.samples(new SampleRequest(tenants, "bytes_over_time(" + text(expr) + "[1s])",
        byLabelName ? null : new Grouping(false, by), startNanos, endNanos, width, align));
    Set<String> targets = Set.copyOf(targetLabels);
    Set<String> asked = new HashSet<>(tenants);
    Map<Labels, TreeMap<Long, Double>> groups = new HashMap<>();
    for (TenantSamples s : bytes.series()) {
      if (!asked.contains(s.tenant())) {
        continue;
      }
      List<Labels> keys = new ArrayList<>();
      if (byLabelName) {
        for (String name : s.labels().names()) {
          if (targets.isEmpty() || targets.contains(name)) {
            keys.add(Labels.of(name, ""));
          }
        }
      } else {
        keys.add(s.labels());
      }
      for (Labels key : keys) {
        TreeMap<Long, Double> points = groups.computeIfAbsent(key, l -> new TreeMap<>());
        for (int i = 0; i < s.timestamps().length; i++) {
          points.merge(s.timestamps()[i], s.values()[i], Double::sum);
        }
      }
    }
    Comparator<Map.Entry<Labels, TreeMap<Long, Double>>> largestFirst = Comparator
        .comparingDouble((Map.Entry<Labels, TreeMap<Long, Double>> e) -> total(e.getValue())).reversed()
        .thenComparing(Map.Entry::getKey);
    List<Map.Entry<Labels, TreeMap<Long, Double>>> top = groups.entrySet().stream().sorted(largestFirst)
        .limit(limit).toList();
    QueryStats stats = new QueryStats(Duration.between(began, clock.instant()).toNanos() / 1e9,
        bytes.entriesScanned(), bytes.bytesScanned(), 0, bytes.ingestersReached(), 0);
    if (stepNanos == 0) {
      List<VectorSample> samples = new ArrayList<>();
      for (Map.Entry<Labels, TreeMap<Long, Double>> e : top) {
        samples.add(new VectorSample(e.getKey(), total(e.getValue())));
      }
      return new VectorResult(endNanos, samples, stats);
    }
    List<MetricSeries> series = new ArrayList<>();
    for (Map.Entry<Labels, TreeMap<Long, Double>> e : top.stream().sorted(Map.Entry.comparingByKey()).toList()) {
      long[] ts = e.getValue().keySet().stream().mapToLong(Long::longValue).toArray();
      double[] values = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
      series.add(new MetricSeries(e.getKey(), ts, values));
    }
    return new MatrixResult(series, stats);
  }

  private static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }

  private static double total(TreeMap<Long, Double> points) {
    double s = 0;
    for (double v : points.values()) {
      s += v;
    }
    return s;
  }

  private static String selector(String query) {
    return text(parse(query));
  }

  /** The selector's matchers alone, as LogQL text. */
  private static String text(LogSelectorExpr expr) {
    return expr.matchers().stream().map(LabelMatcher::toString).collect(Collectors.joining(", ", "{", "}"));
  }

  private static LogSelectorExpr parse(String query) {
    if (query == null || query.isBlank()) {
      throw ApiException.badRequest("query parameter is required");
    }
    try {
      return LogQL.parseSelector(query);
    } catch (LogQLException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
