package io.fjord.querier.http;

import io.fjord.common.http.ApiException;
import io.fjord.querier.engine.IndexStatistics;
import io.fjord.querier.engine.RangeQuery;
import io.fjord.querier.source.Direction;
import io.fjord.querier.tail.TailRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the parameters of Loki's query endpoints into typed requests, with Loki's defaults: {@code
 * end} = now, {@code start} = {@code end} minus {@code since} (1h for queries, 6h for label lookups;
 * measured from now when {@code end} is in the future), {@code limit} = 100, {@code direction} =
 * backward, {@code step} = the range / 250 but at least 1s. Syntax errors are 400s; limits are
 * checked later by {@link io.fjord.querier.engine.RequestLimits}. Stateless.
 */
public final class RequestParser {
  static final long DEFAULT_QUERY_SINCE_NANOS = 3_600L * 1_000_000_000L;
  static final long DEFAULT_LABELS_SINCE_NANOS = 6 * DEFAULT_QUERY_SINCE_NANOS;
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_DELAY_FOR_SECONDS = 5;
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

  private RequestParser() {}

  /** A time range: {@code startNanos <= ts < endNanos}. */
  public record Range(long startNanos, long endNanos) {}

  /** The parameters of {@code query_range}. */
  public static RangeQuery rangeQuery(Params p, long nowNanos) {
    Range range = range(p, nowNanos, DEFAULT_QUERY_SINCE_NANOS);
    int limit = limit(p);
    Direction direction = direction(p);
    long defaultStep = Math.max((range.endNanos() - range.startNanos()) / 250 / 1_000_000_000L, 1) * 1_000_000_000L;
    long step = Timestamps.parseDuration("step", p.get("step"), defaultStep);
    long interval = Timestamps.parseDuration("interval", p.get("interval"), 0);
    if (interval < 0) {
      throw ApiException.badRequest("interval must be >= 0");
    }
    return new RangeQuery(p.get("query") == null ? "" : p.get("query"), range.startNanos(), range.endNanos(),
        limit, direction, step, interval);
  }

  /** The range of a label or series lookup. */
  public static Range labelsRange(Params p, long nowNanos) {
    return range(p, nowNanos, DEFAULT_LABELS_SINCE_NANOS);
  }

  /** The range of a series lookup. */
  public static Range seriesRange(Params p, long nowNanos) {
    return range(p, nowNanos, DEFAULT_QUERY_SINCE_NANOS);
  }

  /** The {@code time} of an instant query; now by default. */
  public static long time(Params p, long nowNanos) {
    return Timestamps.parse("time", p.get("time"), nowNanos);
  }

  static Range range(Params p, long nowNanos, long defaultSinceNanos) {
    long end = Timestamps.parse("end", p.get("end"), nowNanos);
    long start;
    if (p.get("start") != null) {
      start = Timestamps.parse("start", p.get("start"), 0);
    } else {
      long since = Timestamps.parseDuration("since", p.get("since"), defaultSinceNanos);
      start = Math.min(end, nowNanos) - since;
    }
    return new Range(start, end);
  }

  /**
   * The parameters of {@code tail}: {@code query}, {@code limit} (100), {@code start} (now minus
   * 1h) and {@code delay_for} (whole seconds, 0 by default, at most {@value #MAX_DELAY_FOR_SECONDS};
   * a negative value means none).
   */
  public static TailRequest tail(List<String> tenants, Params p, long nowNanos) {
    int limit = limit(p);
    long start = Timestamps.parse("start", p.get("start"), nowNanos - DEFAULT_QUERY_SINCE_NANOS);
    String d = p.get("delay_for");
    long delaySeconds = 0;
    if (d != null) {
      if (!INTEGER.matcher(d).matches() || d.length() > 18) {
        throw ApiException.badRequest("invalid parameter \"delay_for\": \"" + d + "\" is not an integer");
      }
      delaySeconds = Math.max(0, Long.parseLong(d));
    }
    if (delaySeconds > MAX_DELAY_FOR_SECONDS) {
      throw ApiException.badRequest("delay_for can't be greater than " + MAX_DELAY_FOR_SECONDS);
    }
    String query = p.get("query") == null ? "" : p.get("query");
    return new TailRequest(tenants, query, start, delaySeconds * 1_000_000_000L, limit);
  }

  /** The parameters of {@code index/volume} ({@code stepNanos == 0}) and {@code index/volume_range}. */
  public record Volume(long startNanos, long endNanos, int limit, List<String> targetLabels,
      IndexStatistics.AggregateBy aggregateBy, long stepNanos) {}

  /**
   * The parameters of the volume endpoints: the range as for {@code query_range} (1h by default),
   * {@code limit} (100), {@code targetLabels} (comma-separated), {@code aggregateBy} ({@code series}
   * by default, or {@code labels}) and, for {@code volume_range}, {@code step} as for
   * {@code query_range}.
   */
  public static Volume volume(Params p, long nowNanos, boolean range) {
    RangeQuery q = rangeQuery(p, nowNanos);
    List<String> targets = new ArrayList<>();
    if (p.get("targetLabels") != null) {
      for (String l : p.get("targetLabels").split(",")) {
        if (!l.isBlank()) {
          targets.add(l.trim());
        }
      }
    }
    String by = p.get("aggregateBy");
    IndexStatistics.AggregateBy aggregateBy;
    if (by == null || by.equals("series")) {
      aggregateBy = IndexStatistics.AggregateBy.SERIES;
    } else if (by.equals("labels")) {
      aggregateBy = IndexStatistics.AggregateBy.LABELS;
    } else {
      throw ApiException.badRequest("invalid aggregation option");
    }
    return new Volume(q.startNanos(), q.endNanos(), q.limit(), List.copyOf(targets), aggregateBy,
        range ? q.stepNanos() : 0);
  }

  /** A positive integer parameter, {@code dflt} when absent. */
  public static int positive(Params p, String name, int dflt) {
    String v = p.get(name);
    if (v == null) {
      return dflt;
    }
    if (!INTEGER.matcher(v).matches() || v.length() > 9 || Integer.parseInt(v) <= 0) {
      throw ApiException.badRequest("invalid parameter \"" + name + "\": \"" + v + "\" is not a positive integer");
    }
    return Integer.parseInt(v);
  }

  /** The entry limit: a positive integer, 100 by default; values above int range saturate. */
  public static int limit(Params p) {
    String v = p.get("limit");
    if (v == null) {
      return DEFAULT_LIMIT;
    }
    if (!INTEGER.matcher(v).matches()) {
      throw ApiException.badRequest("invalid parameter \"limit\": \"" + v + "\" is not an integer");
    }
    long limit;
    try {
      limit = Long.parseLong(v);
    } catch (NumberFormatException e) {
      limit = v.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (limit <= 0) {
      throw ApiException.badRequest("limit must be a positive value");
    }
    return (int) Math.min(limit, Integer.MAX_VALUE);
  }

  /** {@code forward} or {@code backward} (any case); backward by default. */
  public static Direction direction(Params p) {
    String v = p.get("direction");
    if (v == null) {
      return Direction.BACKWARD;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "forward" -> Direction.FORWARD;
      case "backward" -> Direction.BACKWARD;
      default -> throw ApiException.badRequest("invalid direction '" + v + "'");
    };
  }
}
