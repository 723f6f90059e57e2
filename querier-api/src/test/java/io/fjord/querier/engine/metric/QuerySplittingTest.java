package io.fjord.querier.engine.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fjord.common.http.ApiException;
import io.fjord.logql.LogQL;
import io.fjord.logql.ast.SampleExpr;
import io.fjord.querier.MutableClock;
import io.fjord.querier.engine.MatrixResult;
import io.fjord.querier.engine.MetricSeries;
import io.fjord.querier.engine.QuerySplit;
import io.fjord.querier.engine.RangeQuery;
import io.fjord.querier.engine.VectorResult;
import io.fjord.querier.engine.VectorSample;
import io.fjord.querier.source.Direction;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.schemas.labels.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A metric query split by time and fetched in parallel answers exactly what one unsplit fetch
 * answers (property test over random data, queries, ranges, steps and split intervals), runs at
 * most {@code max_query_parallelism} fetches at once, and fails as a failing fetch does.
 */
class QuerySplittingTest {
  private static final long S = 1_000_000_000L;
  private static final long M = 60 * S;
  private static final long H = 60 * M;
  private static final long T0 = 1_795_132_800L * S;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(8);

  private static final List<String> QUERIES = List.of(
      "count_over_time({app=\"a\"}[5m])",
      "sum by (pod) (rate({app=~\"a|b\"}[10m]))",
      "sum(count_over_time({app=~\".+\"} |= \"error\" [90s]))",
      "bytes_over_time({app=\"b\"}[1h])",
      "sum by (app) (bytes_rate({app=~\".+\"}[7m] offset 13m))",
      "sum_over_time({app=\"a\"} | logfmt | unwrap latency [7m])",
      "sum by (pod) (sum_over_time({app=~\".+\"} | logfmt | unwrap latency [25m]))",
      "rate({app=\"b\"} | logfmt | unwrap latency [10m])",
      "quantile_over_time(0.9, {app=~\".+\"} | logfmt | unwrap latency [15m]) by (app)",
      "max_over_time({app=\"b\"} | logfmt | unwrap latency [3m] offset 20m)",
      "min_over_time({app=\"a\"} | logfmt | unwrap latency [1h]) by (pod)",
      "avg_over_time({app=~\".+\"} | logfmt | unwrap latency [30m]) without (pod)",
      "stddev_over_time({app=\"a\"} | logfmt | unwrap latency [20m])",
      "first_over_time({app=\"b\"} | logfmt | unwrap latency [9m]) by (pod)",
      "last_over_time({app=\"b\"} | logfmt | unwrap latency [9m]) by (pod)",
      "rate_counter({app=\"a\"} | logfmt | unwrap counter [10m])",
      "absent_over_time({app=\"a\", pod=\"p9\"}[5m])",
      "topk(2, sum by (pod) (count_over_time({app=~\".+\"}[30m])))",
      "sum(count_over_time({app=\"a\"}[1h])) / sum(count_over_time({app=~\".+\"}[1h]))",
      "count_over_time({app=\"a\"} | logfmt | level=\"error\" [2h])");

  @AfterAll
  static void stopPool() {
    POOL.shutdownNow();
  }

  @Test
  void splitAndUnsplitRangeQueriesAnswerTheSame() {
    Random random = new Random(20261123);
    EntriesSource source = new EntriesSource(randomStreams(random));
    LokiMetricEngine engine = new LokiMetricEngine(source, 10_000, new MutableClock(Instant.EPOCH), POOL);
    long[] steps = {15 * S, M, 5 * M, 7 * M, 17 * M + 3 * S, H};
    long[] intervals = {M, 13 * M, H, 3 * H};
    int splitQueries = 0;
    for (int i = 0; i < 120; i++) {
      String query = QUERIES.get(i % QUERIES.size());
      SampleExpr expr = (SampleExpr) LogQL.parse(query);
      long start = T0 + random.nextLong(0, 8 * H);
      long end = start + random.nextLong(10 * M, 10 * H);
      RangeQuery q = new RangeQuery(query, start, end, 100, Direction.BACKWARD, steps[random.nextInt(steps.length)], 0);
      QuerySplit split = new QuerySplit(intervals[random.nextInt(intervals.length)], 1 + random.nextInt(8));

      source.requests.clear();
      MatrixResult whole = (MatrixResult) engine.rangeQuery(expr, List.of("t"), q, QuerySplit.NONE);
      int wholeRequests = source.requests.size();
      source.requests.clear();
      MatrixResult parts = (MatrixResult) engine.rangeQuery(expr, List.of("t"), q, split);
      if (source.requests.size() > wholeRequests) {
        splitQueries++;
      }

      assertSameMatrix(query + " " + q + " " + split, parts.series(), whole.series());
      assertThat(parts.stats().linesProcessed()).as("entries scanned").isEqualTo(whole.stats().linesProcessed());
    }
    assertThat(splitQueries).as("queries that were actually split").isGreaterThan(60);
  }

  @Test
  void splitAndUnsplitInstantQueriesAnswerTheSame() {
    Random random = new Random(7);
    EntriesSource source = new EntriesSource(randomStreams(random));
    LokiMetricEngine engine = new LokiMetricEngine(source, 10_000, new MutableClock(Instant.EPOCH), POOL);
    int splitQueries = 0;
    for (int i = 0; i < 60; i++) {
      String query = QUERIES.get(i % QUERIES.size());
      SampleExpr expr = (SampleExpr) LogQL.parse(query);
      long t = T0 + random.nextLong(0, 12 * H);

      source.requests.clear();
      VectorResult whole = (VectorResult) engine.instantQuery(expr, List.of("t"), t, QuerySplit.NONE);
      int wholeRequests = source.requests.size();
      source.requests.clear();
      VectorResult parts = (VectorResult) engine.instantQuery(expr, List.of("t"), t, new QuerySplit(M, 4));
      if (source.requests.size() > wholeRequests) {
        splitQueries++;
      }

      assertThat(render(parts.samples())).as(query + " at " + t).isEqualTo(render(whole.samples()));
    }
    assertThat(splitQueries).as("instant queries that were actually split").isGreaterThan(45);
  }

  @Test
  void atMostMaxQueryParallelismFetchesRunAtOnce() throws Exception {
    EntriesSource data = new EntriesSource(randomStreams(new Random(1)));
    int limit = 3;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch firstWave = new CountDownLatch(limit);
    EntriesSource gated = new EntriesSource(Map.of()) {
      @Override
      public SampleResult samples(SampleRequest r) {
        calls.incrementAndGet();
        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          // the first `limit` fetches wait for each other: they can only all arrive if they run at once
          firstWave.countDown();
          assertThat(firstWave.await(30, TimeUnit.SECONDS)).as("%d fetches ran at once", limit).isTrue();
          return data.samples(r);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } finally {
          inFlight.decrementAndGet();
        }
      }
    };
    LokiMetricEngine engine = new LokiMetricEngine(gated, 10_000, new MutableClock(Instant.EPOCH), POOL);
    String query = "sum_over_time({app=\"a\"} | logfmt | unwrap latency [5m])";

    engine.rangeQuery((SampleExpr) LogQL.parse(query), List.of("t"),
        new RangeQuery(query, T0, T0 + 10 * H, 100, Direction.BACKWARD, M, 0), new QuerySplit(H, limit));

    assertThat(calls.get()).as("fetches (10h in 1h splits)").isGreaterThanOrEqualTo(10);
    assertThat(most.get()).isEqualTo(limit);
  }

  @Test
  void aFailingSplitFailsTheQueryWithItsError() {
    EntriesSource data = new EntriesSource(randomStreams(new Random(3)));
    AtomicInteger calls = new AtomicInteger();
    EntriesSource failing = new EntriesSource(Map.of()) {
      @Override
      public SampleResult samples(SampleRequest r) {
        if (calls.incrementAndGet() == 4) {
          throw new ApiException(503, "ingester-2 is unavailable");
        }
        return data.samples(r);
      }
    };
    LokiMetricEngine engine = new LokiMetricEngine(failing, 10_000, new MutableClock(Instant.EPOCH), POOL);
    String query = "count_over_time({app=\"a\"}[5m])";

    ApiException e = catchThrowableOfType(ApiException.class, () -> engine.rangeQuery((SampleExpr) LogQL.parse(query),
        List.of("t"), new RangeQuery(query, T0, T0 + 10 * H, 100, Direction.BACKWARD, M, 0), new QuerySplit(H, 2)));

    assertThat(e).isNotNull();
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.getMessage()).isEqualTo("ingester-2 is unavailable");
  }

  /** Six streams of logfmt lines over 14 hours from T0, at random times (some equal). */
  private static Map<Labels, List<EntriesSource.Line>> randomStreams(Random random) {
    Map<Labels, List<EntriesSource.Line>> streams = new LinkedHashMap<>();
    String[] levels = {"info", "info", "warn", "error"};
    for (String app : List.of("a", "b")) {
      for (String pod : List.of("p1", "p2", "p3")) {
        List<EntriesSource.Line> lines = new ArrayList<>();
        long ts = T0 - H;
        long counter = 0;
        int n = 300 + random.nextInt(300);
        for (int i = 0; i < n; i++) {
          ts += random.nextInt(10) == 0 ? 0 : random.nextLong(1, 6 * 60 * S);
          counter = random.nextInt(20) == 0 ? random.nextInt(5) : counter + random.nextInt(7);
          String level = levels[random.nextInt(levels.length)];
          lines.add(new EntriesSource.Line(ts, "level=" + level + " latency=" + (random.nextInt(100_000) / 1000.0)
              + " counter=" + counter + " msg=\"" + level + " " + "x".repeat(random.nextInt(40)) + "\""));
        }
        streams.put(Labels.of("app", app, "pod", pod), lines);
      }
    }
    return streams;
  }

  private static void assertSameMatrix(String what, List<MetricSeries> got, List<MetricSeries> want) {
    assertThat(got.stream().map(MetricSeries::labels).toList()).as(what).isEqualTo(
        want.stream().map(MetricSeries::labels).toList());
    for (int i = 0; i < want.size(); i++) {
      assertThat(got.get(i).timestampsNanos()).as(what + " " + want.get(i).labels()).isEqualTo(
          want.get(i).timestampsNanos());
      assertThat(got.get(i).values()).as(what + " " + want.get(i).labels()).isEqualTo(want.get(i).values());
    }
  }

  private static List<String> render(List<VectorSample> samples) {
    return samples.stream().map(s -> s.labels() + "=" + Double.doubleToLongBits(s.value())).toList();
  }
}
