package io.fjord.querier.engine.metric;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a sample fetch's {@link SampleFetcher.Span} into consecutive time intervals that can be
 * fetched independently and concatenated into exactly the samples of one fetch.
 *
 * <p>An entry belongs to one interval by its timestamp, so no entry is counted twice or lost, and
 * a range window that spans intervals still sees every sample of both. Without buckets the cuts
 * fall on multiples of the interval. With buckets {@code (e - w, e]}, a bucket is summed by one
 * fetch: the cuts fall just after a bucket end ({@code align + k·w + 1}) and the interval is
 * rounded up to whole buckets. Only when the samples are integers (counts, byte sizes) and a
 * bucket is longer than the interval (an instant query over a long range) are buckets cut, on
 * multiples of the interval: each fetch then gives a partial sum at the bucket's end, and the
 * evaluator adds partial sums of integers exactly. At most {@link #MAX_SPLITS} intervals come out
 * (a tiny configured interval is widened), so a query's task count stays bounded. Stateless.
 */
public final class TimeSplits {
  static final int MAX_SPLITS = 1024;

  private TimeSplits() {}

  /** The intervals of {@code span}, in time order; {@code span} itself when it is not split. */
  public static List<SampleFetcher.Span> split(SampleFetcher.Span span, long intervalNanos) {
    return split(span, intervalNanos, false);
  }

  /**
   * As {@link #split(SampleFetcher.Span, long)}; with {@code integerSamples}, a bucket longer than
   * the interval may be cut (see the class comment).
   */
  public static List<SampleFetcher.Span> split(SampleFetcher.Span span, long intervalNanos, boolean integerSamples) {
    long from = span.fromNanos();
    long to = span.toNanos();
    long length = to - from;
    if (intervalNanos <= 0 || length <= intervalNanos) {
      return List.of(span);
    }
    long bucket = span.bucketWidthNanos();
    long width = Math.max(intervalNanos, ceilDiv(length, MAX_SPLITS));
    long phase;
    if (bucket > 0 && !(integerSamples && bucket > width)) {
      width = multiplyOrMax(ceilDiv(width, bucket), bucket);
      phase = Math.floorMod(span.bucketAlignNanos() + 1, width);
    } else {
      phase = 0;
    }
    if (length <= width) {
      return List.of(span);
    }
    List<SampleFetcher.Span> out = new ArrayList<>();
    // the first cut after from: the smallest phase + k·width > from
    long cut = from + (width - Math.floorMod(from - phase, width));
    long start = from;
    while (cut < to && cut > start) {
      out.add(new SampleFetcher.Span(start, cut, bucket, span.bucketAlignNanos()));
      start = cut;
      cut = cut > Long.MAX_VALUE - width ? Long.MAX_VALUE : cut + width;
    }
    out.add(new SampleFetcher.Span(start, to, bucket, span.bucketAlignNanos()));
    return out;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static long multiplyOrMax(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
  }
}
