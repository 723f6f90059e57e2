package io.fjord.querier.engine.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How a sample fetch's span is cut: contiguous, whole buckets, bounded in number. */
class TimeSplitsTest {
  private static final long S = 1_000_000_000L;
  private static final long H = 3600 * S;

  @Test
  void withoutBucketsCutsFallOnMultiplesOfTheInterval() {
    // [00:30, 03:10) by 1h: 00:30-01:00, 01:00-02:00, 02:00-03:00, 03:00-03:10
    List<SampleFetcher.Span> parts = TimeSplits.split(new SampleFetcher.Span(H / 2, 3 * H + 10 * 60 * S), H);

    assertThat(parts).containsExactly(
        new SampleFetcher.Span(H / 2, H), new SampleFetcher.Span(H, 2 * H),
        new SampleFetcher.Span(2 * H, 3 * H), new SampleFetcher.Span(3 * H, 3 * H + 600 * S));
  }

  @Test
  void withBucketsCutsFallJustAfterABucketEndAndTheIntervalIsWholeBuckets() {
    // buckets of 7m ending at 100s + k·420s; a 1h interval rounds up to 9 buckets = 3780 s
    long w = 420 * S;
    long align = 100 * S;
    SampleFetcher.Span span = new SampleFetcher.Span(align - 5 * w + 1, align + 20 * w + 1, w, align);

    List<SampleFetcher.Span> parts = TimeSplits.split(span, H);

    // cuts at align + 1 + k·3780 s inside (from, to): k = 0 (align+1) and k = 1 (align + 9w + 1) ...
    assertThat(parts).extracting(SampleFetcher.Span::fromNanos).containsExactly(
        align - 5 * w + 1, align + 1, align + 9 * w + 1, align + 18 * w + 1);
    assertThat(parts).extracting(SampleFetcher.Span::toNanos).containsExactly(
        align + 1, align + 9 * w + 1, align + 18 * w + 1, align + 20 * w + 1);
    assertThat(parts).allSatisfy(p -> {
      assertThat(p.bucketWidthNanos()).isEqualTo(w);
      assertThat(p.bucketAlignNanos()).isEqualTo(align);
    });
  }

  @Test
  void aSpanNoLongerThanTheIntervalOrWithSplittingOffIsLeftWhole() {
    SampleFetcher.Span span = new SampleFetcher.Span(5, 5 + H);

    assertThat(TimeSplits.split(span, H)).containsExactly(span);
    assertThat(TimeSplits.split(span, 0)).containsExactly(span);
    // one bucket longer than the interval cannot be cut
    SampleFetcher.Span oneBucket = new SampleFetcher.Span(1, 2 * H + 1, 2 * H, 0);
    assertThat(TimeSplits.split(oneBucket, H / 4)).containsExactly(oneBucket);
  }

  @Test
  void aBucketLongerThanTheIntervalIsCutOnlyWhenItsSamplesAreIntegers() {
    // an instant count over 3h: one bucket (00:20, 03:20], from 00:20 + 1ns
    SampleFetcher.Span oneBucket = new SampleFetcher.Span(H / 3 + 1, 3 * H + H / 3 + 1, 3 * H, H / 3);

    assertThat(TimeSplits.split(oneBucket, H, false)).containsExactly(oneBucket);
    assertThat(TimeSplits.split(oneBucket, H, true)).containsExactly(
        new SampleFetcher.Span(H / 3 + 1, H, 3 * H, H / 3), new SampleFetcher.Span(H, 2 * H, 3 * H, H / 3),
        new SampleFetcher.Span(2 * H, 3 * H, 3 * H, H / 3), new SampleFetcher.Span(3 * H, 3 * H + H / 3 + 1, 3 * H, H / 3));
    // buckets no longer than the interval are still kept whole
    SampleFetcher.Span minutes = new SampleFetcher.Span(1, 3 * H + 1, 60 * S, 0);
    assertThat(TimeSplits.split(minutes, H, true)).extracting(SampleFetcher.Span::fromNanos)
        .containsExactly(1L, H + 1, 2 * H + 1);
  }

  @Test
  void aTinyIntervalIsWidenedToAtMostTheSplitCap() {
    SampleFetcher.Span span = new SampleFetcher.Span(0, 30 * 24 * H);

    List<SampleFetcher.Span> parts = TimeSplits.split(span, 1);

    assertThat(parts).hasSizeBetween(TimeSplits.MAX_SPLITS - 1, TimeSplits.MAX_SPLITS + 1);
    assertContiguous(span, parts);
  }

  @Test
  void randomSpansAreCoveredExactlyAndNoBucketIsCut() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      long from = random.nextLong(-10 * H, 10 * H);
      long to = from + random.nextLong(1, 20 * H);
      long w = random.nextBoolean() ? 0 : random.nextLong(1, 2 * H);
      long align = random.nextLong(-H, H);
      long interval = random.nextLong(0, 5 * H);
      SampleFetcher.Span span = new SampleFetcher.Span(from, to, w, align);

      List<SampleFetcher.Span> parts = TimeSplits.split(span, interval);

      assertContiguous(span, parts);
      if (w > 0) {
        for (int k = 1; k < parts.size(); k++) {
          // the entry just before a cut and the one at it fall in different buckets
          long cut = parts.get(k).fromNanos();
          assertThat(Math.floorMod(cut - 1 - align, w)).as("cut %d after a bucket end", cut).isZero();
        }
      }
    }
  }

  private static void assertContiguous(SampleFetcher.Span span, List<SampleFetcher.Span> parts) {
    assertThat(parts.get(0).fromNanos()).isEqualTo(span.fromNanos());
    assertThat(parts.get(parts.size() - 1).toNanos()).isEqualTo(span.toNanos());
    for (int k = 0; k < parts.size(); k++) {
      assertThat(parts.get(k).toNanos()).isGreaterThan(parts.get(k).fromNanos());
      if (k > 0) {
        assertThat(parts.get(k).fromNanos()).isEqualTo(parts.get(k - 1).toNanos());
      }
    }
  }
}
