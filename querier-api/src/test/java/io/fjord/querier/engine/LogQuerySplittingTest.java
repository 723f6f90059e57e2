package io.fjord.querier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.config.LimitsConfig;
import io.fjord.logql.LogQL;
import io.fjord.logql.eval.StreamSelector;
import io.fjord.querier.MutableClock;
import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.TenantSeries;
import io.fjord.querier.source.TenantStream;
import io.fjord.schemas.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A log query read in time intervals walked in its direction answers exactly what one read
 * answers (property test: random streams with repeated entries, ranges, limits, directions and
 * split settings), and stops reading once the limit is reached.
 */
class LogQuerySplittingTest {
  private static final long S = 1_000_000_000L;
  private static final long H = 3600 * S;
  private static final long T0 = 1_795_132_800L * S;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(4);
  private static final List<String> QUERIES = List.of("{app=\"a\"}", "{app=~\"a|b\"}", "{pod=\"p2\"}",
      "{app=\"b\", pod!=\"p1\"}");

  @AfterAll
  static void stopPool() {
    POOL.shutdownNow();
  }

  @Test
  void splitAndUnsplitLogQueriesAnswerTheSame() {
    Random random = new Random(11);
    FakeSource source = new FakeSource(randomStreams(random));
    QueryService unsplit = service(source, Duration.ZERO, 1);
    long[] intervals = {60 * S, 17 * 60 * S, H, 5 * H};
    for (int i = 0; i < 200; i++) {
      String query = QUERIES.get(i % QUERIES.size());
      long start = T0 + random.nextLong(-2 * H, 10 * H);
      long end = start + random.nextLong(1, 14 * H);
      int limit = 1 + random.nextInt(random.nextBoolean() ? 20 : 1500);
      Direction direction = random.nextBoolean() ? Direction.FORWARD : Direction.BACKWARD;
      RangeQuery q = new RangeQuery(query, start, end, limit, direction, 60 * S, 0);
      QueryService split = service(source, Duration.ofNanos(intervals[random.nextInt(intervals.length)]),
          1 + random.nextInt(6));

      StreamsResult want = (StreamsResult) unsplit.rangeQuery(List.of("t"), q);
      StreamsResult got = (StreamsResult) split.rangeQuery(List.of("t"), q);

      assertThat(got.streams()).as("%s", q).isEqualTo(want.streams());
      assertThat(got.stats().entriesReturned()).isEqualTo(want.stats().entriesReturned());
    }
  }

  @Test
  void aLimitedQueryStopsReadingOnceTheLimitIsReached() {
    FakeSource source = new FakeSource(denseStreams());
    RangeQuery backward = new RangeQuery("{app=\"a\"}", T0, T0 + 12 * H, 10, Direction.BACKWARD, 60 * S, 0);
    RangeQuery forward = new RangeQuery("{app=\"a\"}", T0, T0 + 12 * H, 10, Direction.FORWARD, 60 * S, 0);

    StreamsResult newest = (StreamsResult) service(source, Duration.ofHours(1), 1).rangeQuery(List.of("t"), backward);

    // one line a minute: the last hour holds the 10 newest, so only it was read
    assertThat(source.selects).singleElement().satisfies(r -> {
      assertThat(r.startNanos()).isEqualTo(T0 + 11 * H);
      assertThat(r.endNanos()).isEqualTo(T0 + 12 * H);
    });
    assertThat(newest.streams()).singleElement().satisfies(s -> assertThat(s.entries()).extracting(Entry::tsNanos)
        .containsExactly(ts(719), ts(718), ts(717), ts(716), ts(715), ts(714), ts(713), ts(712), ts(711), ts(710)));

    source.selects.clear();
    service(source, Duration.ofHours(1), 3).rangeQuery(List.of("t"), forward);
    // one batch of three intervals from the start, then no more
    assertThat(source.selects).extracting(SelectRequest::startNanos).containsExactlyInAnyOrder(T0, T0 + H, T0 + 2 * H);
  }

  private static long ts(int minute) {
    return T0 + minute * 60 * S;
  }

  private static QueryService service(LogSource source, Duration interval, int parallelism) {
    LimitsConfig limits = new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, parallelism, interval);
    MutableClock clock = new MutableClock(Instant.EPOCH);
    return new QueryService(source, MetricEngine.UNSUPPORTED, new RequestLimits(limits), clock, POOL);
  }

  /** Stream {app="a", pod="p1"} with one entry a minute over 12 hours from T0. */
  private static Map<Labels, List<Entry>> denseStreams() {
    List<Entry> entries = new ArrayList<>();
    for (int m = 0; m < 720; m++) {
      entries.add(new Entry(ts(m), "line " + m));
    }
    return Map.of(Labels.of("app", "a", "pod", "p1"), entries);
  }

  /** Six streams with entries at random times (some equal, some with equal lines). */
  private static Map<Labels, List<Entry>> randomStreams(Random random) {
    Map<Labels, List<Entry>> streams = new LinkedHashMap<>();
    for (String app : List.of("a", "b")) {
      for (String pod : List.of("p1", "p2", "p3")) {
        List<Entry> entries = new ArrayList<>();
        long ts = T0 - H;
        for (int i = 0; i < 400; i++) {
          ts += random.nextInt(8) == 0 ? 0 : random.nextLong(1, 5 * 60 * S);
          entries.add(new Entry(ts, "line " + random.nextInt(50)));
        }
        streams.put(Labels.of("app", app, "pod", pod), entries);
      }
    }
    return streams;
  }

  /**
   * Answers selects as two ingesters holding the same streams would: every entry of the range
   * twice (so the merge must de-duplicate), each stream's first {@code limit} in the direction.
   */
  private static final class FakeSource implements LogSource {
    private final Map<Labels, List<Entry>> streams;
    final List<SelectRequest> selects = new CopyOnWriteArrayList<>();

    FakeSource(Map<Labels, List<Entry>> streams) {
      this.streams = streams;
    }

    @Override
    public SelectResult select(SelectRequest r) {
      selects.add(r);
      StreamSelector selector = StreamSelector.of(LogQL.parseSelector(r.query()).matchers());
      Comparator<Entry> order = Comparator.comparingLong(Entry::tsNanos);
      if (r.direction() == Direction.BACKWARD) {
        order = order.reversed();
      }
      List<TenantStream> out = new ArrayList<>();
      for (int copy = 0; copy < 2; copy++) {
        for (Map.Entry<Labels, List<Entry>> s : streams.entrySet()) {
          if (!selector.matches(s.getKey())) {
            continue;
          }
          List<Entry> in = s.getValue().stream()
              .filter(e -> e.tsNanos() >= r.startNanos() && e.tsNanos() < r.endNanos()).sorted(order)
              .limit(r.limit()).toList();
          if (!in.isEmpty()) {
            out.add(new TenantStream("t", s.getKey(), in));
          }
        }
      }
      return new SelectResult(out, 2);
    }

    @Override
    public List<String> labels(LabelsRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<TenantSeries> series(SeriesRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SampleResult samples(SampleRequest request) {
      throw new UnsupportedOperationException();
    }
  }
}
