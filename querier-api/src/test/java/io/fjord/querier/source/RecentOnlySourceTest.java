package io.fjord.querier.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.querier.MutableClock;
import io.fjord.schemas.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentOnlySourceTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final long NOW_NANOS = NOW.toEpochMilli() * 1_000_000L;
  private static final long HOUR = 3_600_000_000_000L;

  private final MutableClock clock = new MutableClock(NOW);
  private final RecordingSource delegate = new RecordingSource();

  @Test
  void aRangeEndingWithinTheWindowIsAskedUnclipped() {
    LogSource source = new RecentOnlySource(delegate, Duration.ofHours(3), clock);

    source.select(select(NOW_NANOS - 10 * HOUR, NOW_NANOS - 2 * HOUR));

    assertThat(delegate.selects).singleElement()
        .satisfies(r -> assertThat(r.startNanos()).isEqualTo(NOW_NANOS - 10 * HOUR));
  }

  @Test
  void aRangeEndingBeforeTheWindowIsAnsweredEmptyWithoutACall() {
    LogSource source = new RecentOnlySource(delegate, Duration.ofHours(3), clock);

    SelectResult r = source.select(select(NOW_NANOS - 10 * HOUR, NOW_NANOS - 3 * HOUR));
    List<String> labels = source.labels(new LabelsRequest(List.of("t"), 0, NOW_NANOS - 4 * HOUR, null, null));
    List<TenantSeries> series = source.series(new SeriesRequest(List.of("t"), 0, NOW_NANOS - 4 * HOUR, List.of()));
    SampleResult samples = source.samples(new SampleRequest(List.of("t"), "count_over_time({a=\"b\"}[1m])", null, 0,
        NOW_NANOS - 4 * HOUR));

    assertThat(r.streams()).isEmpty();
    assertThat(labels).isEmpty();
    assertThat(series).isEmpty();
    assertThat(samples.series()).isEmpty();
    assertThat(delegate.calls).isZero();
  }

  @Test
  void samplesOfARangeReachingIntoTheWindowAreAskedFor() {
    LogSource source = new RecentOnlySource(delegate, Duration.ofHours(3), clock);

    SampleResult samples = source.samples(new SampleRequest(List.of("t"), "count_over_time({a=\"b\"}[1m])", null,
        NOW_NANOS - 10 * HOUR, NOW_NANOS - 2 * HOUR));

    assertThat(samples.series()).hasSize(1);
    assertThat(delegate.calls).isEqualTo(1);
  }

  @Test
  void zeroAlwaysAsks() {
    LogSource source = new RecentOnlySource(delegate, Duration.ZERO, clock);

    source.select(select(0, 1));

    assertThat(delegate.calls).isEqualTo(1);
  }

  private static SelectRequest select(long start, long end) {
    return new SelectRequest(List.of("t"), "{a=\"b\"}", start, end, 10, Direction.BACKWARD);
  }

  private static final class RecordingSource implements LogSource {
    final List<SelectRequest> selects = new ArrayList<>();
    int calls;

    @Override
    public SelectResult select(SelectRequest request) {
      calls++;
      selects.add(request);
      return SelectResult.EMPTY;
    }

    @Override
    public List<String> labels(LabelsRequest request) {
      calls++;
      return List.of();
    }

    @Override
    public List<TenantSeries> series(SeriesRequest request) {
      calls++;
      return List.of();
    }

    @Override
    public SampleResult samples(SampleRequest request) {
      calls++;
      return new SampleResult(List.of(new TenantSamples("t", Labels.of("a", "b"), new long[] {1}, new double[] {1})), 1);
    }
  }
}
