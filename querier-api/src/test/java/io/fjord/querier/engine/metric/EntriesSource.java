package io.fjord.querier.engine.metric;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.eval.ExtractedSample;
import io.fjord.logql.eval.SampleExtractor;
import io.fjord.logql.eval.StreamSampleExtractor;
import io.fjord.logql.eval.StreamSelector;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.TenantSamples;
import io.fjord.querier.source.TenantSeries;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only: a source over in-memory streams that answers sample requests as an ingester does
 * (entries {@code start <= ts < end} through the range aggregation's pipeline, summed per bucket
 * when asked for buckets, one tenant "t") and records every request. Tests may override {@link #samples} to gate or fail fetches. Thread-safe once built.
 */
class EntriesSource implements LogSource {
  /** One entry of a stream. */
  record Line(long ts, String line) {}

  private record Sample(long ts, double value) {}

  private final Map<Labels, long[]> times = new LinkedHashMap<>();
  private final Map<Labels, String[]> lines = new LinkedHashMap<>();
  final List<SampleRequest> requests = new CopyOnWriteArrayList<>();

  /** @param streams each stream's entries, sorted by timestamp */
  EntriesSource(Map<Labels, List<Line>> streams) {
    streams.forEach((labels, entries) -> {
      times.put(labels, entries.stream().mapToLong(Line::ts).toArray());
      lines.put(labels, entries.stream().map(Line::line).toArray(String[]::new));
    });
  }

  @Override
  public SampleResult samples(SampleRequest r) {
    requests.add(r);
    RangeAggregationExpr expr = (RangeAggregationExpr) LogQL.parse(r.query());
    SampleExtractor extractor = SampleExtractor.of(expr,
        r.grouping() != null ? Optional.of(r.grouping()) : expr.grouping());
    StreamSelector selector = StreamSelector.of(expr.range().selector().matchers());
    Map<Labels, TreeMap<Long, double[]>> bucketed = new TreeMap<>();
    Map<Labels, List<Sample>> each = new TreeMap<>();
    long entries = 0;
    for (Map.Entry<Labels, long[]> stream : times.entrySet()) {
      if (!selector.matches(stream.getKey())) {
        continue;
      }
      StreamSampleExtractor x = extractor.forStream(stream.getKey());
      long[] ts = stream.getValue();
      String[] text = lines.get(stream.getKey());
      for (int i = firstAtOrAfter(ts, r.startNanos()); i < ts.length && ts[i] < r.endNanos(); i++) {
        entries++;
        ExtractedSample s = x.process(ts[i], text[i], Labels.EMPTY);
        if (s == null) {
          continue;
        }
        if (r.bucketWidthNanos() > 0) {
          bucketed.computeIfAbsent(s.labels(), k -> new TreeMap<>())
              .computeIfAbsent(r.bucketOf(ts[i]), k -> new double[1])[0] += s.value();
        } else {
          each.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(new Sample(ts[i], s.value()));
        }
      }
    }
    List<TenantSamples> out = new ArrayList<>();
    bucketed.forEach((labels, buckets) -> out.add(new TenantSamples("t", labels,
        buckets.keySet().stream().mapToLong(Long::longValue).toArray(),
        buckets.values().stream().mapToDouble(v -> v[0]).toArray())));
    each.values().forEach(samples -> samples.sort(java.util.Comparator.comparingLong(Sample::ts)));
    each.forEach((labels, samples) -> out.add(new TenantSamples("t", labels,
        samples.stream().mapToLong(Sample::ts).toArray(), samples.stream().mapToDouble(Sample::value).toArray())));
    return new SampleResult(out, 1, entries, 0);
  }

  private static int firstAtOrAfter(long[] ts, long t) {
    int i = Arrays.binarySearch(ts, t);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && ts[i - 1] == t) {
      i--;
    }
    return i;
  }

  @Override
  public SelectResult select(SelectRequest request) {
    throw new UnsupportedOperationException("log queries are not this source's business");
  }

  @Override
  public List<String> labels(LabelsRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<TenantSeries> series(SeriesRequest request) {
    throw new UnsupportedOperationException();
  }
}
