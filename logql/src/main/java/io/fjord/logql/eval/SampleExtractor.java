package io.fjord.logql.eval;

import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.LabelFilter;
import io.fjord.logql.ast.LogRange;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.ast.RangeOp;
import io.fjord.logql.ast.Unwrap;
import io.fjord.logql.ast.UnwrapConversion;
import io.fjord.logql.units.ByteSizes;
import io.fjord.logql.units.GoDurations;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import io.fjord.schemas.text.Utf8;

/**
 * Turns the entries of a range aggregation's log range into samples, as Loki's sample extractors
 * do: the log pipeline runs first (an entry it drops gives no sample); then the sample's value is
 * 1 ({@code count_over_time}, {@code rate}, {@code absent_over_time}), the size in bytes of the
 * line after the pipeline ({@code bytes_over_time}, {@code bytes_rate}), or the unwrapped label
 * converted to a number (every other aggregation, and {@code rate} with an unwrap).
 *
 * <p>Unwrap: the label's value is parsed as a float ({@code unwrap x}), a byte size
 * ({@code bytes(x)}) or a Go duration in seconds ({@code duration(x)}, {@code duration_seconds(x)}).
 * A value that does not convert (a missing label reads as "") yields the sample 0 with
 * {@code __error__="SampleExtractionErr"} and the conversion error in {@code __error_details__};
 * then the unwrap's label filters run ({@code | __error__=""} drops such entries).
 *
 * <p>Sample labels: the entry's labels after the pipeline (stream labels, structured metadata,
 * extracted labels) reduced by the grouping: {@code by (a, b)} keeps only those labels,
 * {@code without (a, b)} drops them, and the unwrapped label is dropped unless {@code by} names
 * it. An entry in error keeps all its labels, so the error can be reported with its series.
 * The grouping is the range aggregation's own, or one a caller pushes down (e.g. the grouping of
 * an enclosing {@code sum by (...)}, which gives the same sums over fewer series).
 *
 * <p>Immutable and thread-safe; call {@link #forStream} once per stream and use each
 * {@link StreamSampleExtractor} from one thread.
 */
public final class SampleExtractor {
  static final String SAMPLE_EXTRACTION_ERR = "SampleExtractionErr";

  /** What a sample's value is. */
  public enum Kind { COUNT, BYTES, UNWRAP }

  private final LogPipeline pipeline;
  private final Kind kind;
  private final String unwrapLabel;
  private final Converter converter;
  private final LogPipeline postFilters;
  private final Grouping grouping;
  private final Set<String> groupLabels;
  /** The {@code by (...)} label names, sorted; null without a {@code by} grouping. */
  private final String[] byNames;

  private SampleExtractor(LogPipeline pipeline, Kind kind, Optional<Unwrap> unwrap, Optional<Grouping> grouping) {
    this.pipeline = pipeline;
    this.kind = kind;
    this.unwrapLabel = unwrap.map(Unwrap::label).orElse(null);
    this.converter = unwrap.map(u -> converter(u.conversion())).orElse(null);
    List<LabelFilter> filters = unwrap.map(Unwrap::postFilters).orElse(List.of());
    this.postFilters = filters.isEmpty() ? null : LogPipeline.ofLabelFilters(filters);
    this.grouping = grouping.orElse(null);
    this.groupLabels = grouping.map(g -> (Set<String>) new HashSet<>(g.labels())).orElse(Set.of());
    this.byNames = this.grouping == null || this.grouping.without() ? null
        : new TreeSet<>(groupLabels).toArray(new String[0]);
  }

  /** The extractor of a range aggregation, with its own grouping. */
  public static SampleExtractor of(RangeAggregationExpr expr) {
    return of(expr, expr.grouping());
  }

  /**
   * The extractor of a range aggregation with {@code grouping} instead of its own (empty: the
   * full label sets). Throws {@link IllegalArgumentException} for a pipeline that does not compile.
   */
  public static SampleExtractor of(RangeAggregationExpr expr, Optional<Grouping> grouping) {
    LogRange range = expr.range();
    return new SampleExtractor(LogPipeline.of(range.selector()), kind(expr.op(), range.unwrap().isPresent()),
        range.unwrap(), grouping);
  }

  /** What the samples of {@code op} measure. */
  public static Kind kind(RangeOp op, boolean unwrapped) {
    return switch (op) {
      case COUNT_OVER_TIME -> Kind.COUNT;
      case RATE, ABSENT_OVER_TIME -> unwrapped ? Kind.UNWRAP : Kind.COUNT;
      case BYTES_OVER_TIME, BYTES_RATE -> Kind.BYTES;
      default -> Kind.UNWRAP;
    };
  }

  public Kind kind() {
    return kind;
  }

  /** What a line must hold to give a sample ({@link LogPipeline#prefilter()} of the range's pipeline). */
  public LinePrefilter prefilter() {
    return pipeline.prefilter();
  }

  /**
   * True when every entry gives the sample 1 under its stream's labels (and structured metadata):
   * a count with no pipeline stage and no unwrap, so a reader may count entries without reading
   * their lines.
   */
  public boolean countsEntriesOnly() {
    return kind == Kind.COUNT && pipeline.isNoop() && postFilters == null;
  }

  public StreamSampleExtractor forStream(Labels streamLabels) {
    return new Bound(streamLabels);
  }

  /** Converts an unwrapped label value; throws {@link IllegalArgumentException} with Go's error text. */
  private interface Converter {
    double convert(String value);
  }

  private static Converter converter(UnwrapConversion conversion) {
    return switch (conversion) {
      case NONE -> LabelFilters::parseFloat;
      case BYTES -> v -> (double) ByteSizes.parse(v);
      case DURATION, DURATION_SECONDS -> v -> GoDurations.parseGo(v) / 1e9;
    };
  }

  /** The labels a sample gets from an entry without error whose labels are {@code full}. */
  Labels group(Labels full) {
    if (grouping == null) {
      return unwrapLabel == null ? full : without(full, Set.of(unwrapLabel));
    }
    if (!grouping.without()) {
      List<String[]> kept = new ArrayList<>(groupLabels.size());
      for (int i = 0; i < full.size(); i++) {
        if (groupLabels.contains(full.name(i))) {
          kept.add(new String[] {full.name(i), full.value(i)});
        }
      }
      return kept.size() == full.size() ? full : Labels.ofPairs(kept);
    }
    if (unwrapLabel == null || groupLabels.contains(unwrapLabel)) {
      return without(full, groupLabels);
    }
    Set<String> drop = new HashSet<>(groupLabels);
    drop.add(unwrapLabel);
    return without(full, drop);
  }

  private static Labels without(Labels full, Set<String> drop) {
    List<String[]> kept = new ArrayList<>(full.size());
    for (int i = 0; i < full.size(); i++) {
      if (!drop.contains(full.name(i))) {
        kept.add(new String[] {full.name(i), full.value(i)});
      }
    }
    return kept.size() == full.size() ? full : Labels.ofPairs(kept);
  }

  /** Per-stream state: the reusable entry, and the last label sets seen and grouped. */
  private final class Bound implements StreamSampleExtractor {
    private final Entry entry;
    private Labels lastMetadata;
    private Labels lastMerged;
    private Labels lastFull;
    private Labels lastGrouped;
    private final String[] byValues;
    private Labels lastBy;

    Bound(Labels streamLabels) {
      this.entry = new Entry(streamLabels);
      this.byValues = byNames == null ? null : new String[byNames.length];
    }

    @Override
    public ExtractedSample process(long timestampNanos, String line, Labels structuredMetadata) {
      Entry e = entry;
      e.reset(timestampNanos, line, structuredMetadata);
      if (!pipeline.run(e)) {
        return null;
      }
      double value = switch (kind) {
        case COUNT -> 1;
        case BYTES -> Utf8.length(e.line);
        case UNWRAP -> unwrap(e);
      };
      if (postFilters != null && !postFilters.run(e)) {
        return null;
      }
      if (byNames != null && !e.untouched() && !e.hasError()) {
        return new ExtractedSample(groupedBy(e), value);
      }
      Labels full = labels(e);
      if (e.hasError()) {
        return new ExtractedSample(full, value);
      }
      if (full != lastFull) {
        lastFull = full;
        lastGrouped = group(full);
      }
      return new ExtractedSample(lastGrouped, value);
    }

    /**
     * The {@code by (...)} labels of an entry whose labels a stage changed, read label by label
     * instead of building the entry's full label set first (what {@link #group} would keep of it);
     * the previous set is reused while the values stay the same.
     */
    private Labels groupedBy(Entry e) {
      String[] names = byNames;
      String[] values = byValues;
      int present = 0;
      for (int i = 0; i < names.length; i++) {
        String v = e.get(names[i]);
        values[i] = v;
        if (v != null) {
          present++;
        }
      }
      Labels last = lastBy;
      if (last != null && last.size() == present) {
        int j = 0;
        boolean same = true;
        for (int i = 0; i < names.length && same; i++) {
          if (values[i] != null) {
            same = last.name(j).equals(names[i]) && last.value(j).equals(values[i]);
            j++;
          }
        }
        if (same) {
          return last;
        }
      }
      List<String[]> pairs = new ArrayList<>(present);
      for (int i = 0; i < names.length; i++) {
        if (values[i] != null) {
          pairs.add(new String[] {names[i], values[i]});
        }
      }
      lastBy = Labels.ofPairs(pairs);
      return lastBy;
    }

    private double unwrap(Entry e) {
      String v = e.get(unwrapLabel);
      try {
        return converter.convert(v == null ? "" : v);
      } catch (IllegalArgumentException ex) {
        e.replaceError(SAMPLE_EXTRACTION_ERR, ex.getMessage());
        return 0;
      }
    }

    private Labels labels(Entry e) {
      if (e.untouched()) {
        Labels md = e.metadata();
        if (md.isEmpty()) {
          return e.stream;
        }
        if (md != lastMetadata && !md.equals(lastMetadata)) {
          lastMetadata = md;
          lastMerged = e.stream.merge(md);
        }
        return lastMerged;
      }
      Labels l = e.labels();
      return l.equals(lastFull) ? lastFull : l;
    }
  }
}
