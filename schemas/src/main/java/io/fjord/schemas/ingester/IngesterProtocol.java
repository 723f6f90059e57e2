package io.fjord.schemas.ingester;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The querier ↔ ingester protocol, version 1: JSON over HTTP on the ingester's port (layout in
 * schemas/FORMATS.md). The querier asks every live ingester (see {@link IngesterMember}); each
 * answers for the partitions it owns and has caught up on at that moment, and lists them in its
 * answer's {@code partitions}; the querier merges and de-duplicates, and asks again while some
 * partition is covered by no answer.
 * All timestamps are Unix nanoseconds; time ranges are {@code start <= ts < end}.
 */
public final class IngesterProtocol {
  public static final int VERSION = 1;
  public static final String QUERY_PATH = "/ingester/v1/query";
  public static final String LABELS_PATH = "/ingester/v1/labels";
  public static final String SERIES_PATH = "/ingester/v1/series";
  public static final String SAMPLES_PATH = "/ingester/v1/samples";

  private IngesterProtocol() {}

  public enum Direction { FORWARD, BACKWARD }

  /**
   * Entries of a log query: {@code query} is a LogQL log selector with its pipeline. At most
   * {@code limit} entries overall, the first ones in {@code direction}. {@code excludeChunks}: see
   * {@link SamplesRequest}.
   */
  public record QueryRequest(int version, List<String> tenants, String query, long startNanos, long endNanos,
      int limit, Direction direction, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> excludeChunks) {
    /** Absent (older senders): exclude nothing. */
    public QueryRequest {
      excludeChunks = excludeChunks == null ? List.of() : List.copyOf(excludeChunks);
    }

    /** A request that excludes no chunks. */
    public QueryRequest(int version, List<String> tenants, String query, long startNanos, long endNanos, int limit,
        Direction direction) {
      this(version, tenants, query, startNanos, endNanos, limit, direction, null);
    }
  }

  /** One stream of the answer: its labels after the pipeline, its entries in the asked direction. */
  public record StreamResult(String tenant, Map<String, String> labels, List<Entry> entries) {}

  public record Entry(long ts, String line) {}

  /**
   * The answer to a {@link QueryRequest}. {@code entriesScanned} and {@code bytesScanned} (absent: 0)
   * count the entries the ingester read for it and the bytes of their lines, before the pipeline, for
   * the query statistics. {@code partitions}: the logs-topic partitions the answer covers (owned and
   * caught up, see {@link SamplesResponse}); absent (null) from older ingesters: unknown.
   */
  public record QueryResponse(int version, List<StreamResult> streams, Long entriesScanned, Long bytesScanned,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> partitions) {
    public QueryResponse {
      entriesScanned = entriesScanned == null ? 0L : entriesScanned;
      bytesScanned = bytesScanned == null ? 0L : bytesScanned;
    }

    /** An answer that does not say which partitions it covers. */
    public QueryResponse(int version, List<StreamResult> streams, Long entriesScanned, Long bytesScanned) {
      this(version, streams, entriesScanned, bytesScanned, null);
    }

    /** An answer without statistics that does not say which partitions it covers. */
    public QueryResponse(int version, List<StreamResult> streams) {
      this(version, streams, 0L, 0L, null);
    }
  }

  /**
   * Label names ({@code name == null}) or the values of label {@code name}, of streams with data in
   * the range, optionally only streams matching the selector {@code query}.
   */
  public record LabelsRequest(int version, List<String> tenants, long startNanos, long endNanos, String name,
      String query) {}

  /** {@code partitions}: as in {@link QueryResponse}; absent (null): unknown. */
  public record LabelsResponse(int version, List<String> values,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> partitions) {
    /** An answer that does not say which partitions it covers. */
    public LabelsResponse(int version, List<String> values) {
      this(version, values, null);
    }
  }

  /** Streams with data in the range that match any of the selectors in {@code match}. */
  public record SeriesRequest(int version, List<String> tenants, long startNanos, long endNanos, List<String> match) {}

  public record Series(String tenant, Map<String, String> labels) {}

  /** {@code partitions}: as in {@link QueryResponse}; absent (null): unknown. */
  public record SeriesResponse(int version, List<Series> series,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> partitions) {
    /** An answer that does not say which partitions it covers. */
    public SeriesResponse(int version, List<Series> series) {
      this(version, series, null);
    }
  }

  /**
   * The samples of one range aggregation of a metric query. {@code query} is the range aggregation
   * as LogQL text (e.g. {@code max_over_time({app="api"} | logfmt | unwrap bytes(size) | __error__=""
   * [5m]) by (env)}): its selector, pipeline, unwrap and grouping say which entries give which
   * samples; its range and offset are ignored, every entry with {@code startNanos <= ts < endNanos}
   * is sampled. A non-null {@code grouping} replaces the aggregation's own (the querier pushes an
   * enclosing {@code sum by (...)} down to the ingesters this way). With {@code bucketWidthNanos > 0}
   * the samples of a series in one bucket {@code (align + (k-1)·width, align + k·width]} are summed
   * into one sample at {@code align + k·width} (the querier asks for this when it only needs sums
   * over windows made of whole buckets); 0 (or absent) gives one sample per entry.
   *
   * <p>{@code excludeChunks} (absent: none) lists the object keys of flushed chunks the querier has
   * already read from the chunk store for this query: an ingester that still holds one of them in
   * memory (flushed chunks are kept for {@code chunk_retain_period}) leaves it out, so that every
   * entry is counted once although the store is read first and the ingesters afterwards.
   */
  public record SamplesRequest(int version, List<String> tenants, String query, SampleGrouping grouping,
      long startNanos, long endNanos, Long bucketWidthNanos, Long bucketAlignNanos,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> excludeChunks) {
    /** Absent fields (older senders) mean no buckets and no exclusions. */
    public SamplesRequest {
      bucketWidthNanos = bucketWidthNanos == null ? 0L : bucketWidthNanos;
      bucketAlignNanos = bucketAlignNanos == null ? 0L : bucketAlignNanos;
      excludeChunks = excludeChunks == null ? List.of() : List.copyOf(excludeChunks);
    }

    /** A request that excludes no chunks. */
    public SamplesRequest(int version, List<String> tenants, String query, SampleGrouping grouping, long startNanos,
        long endNanos, Long bucketWidthNanos, Long bucketAlignNanos) {
      this(version, tenants, query, grouping, startNanos, endNanos, bucketWidthNanos, bucketAlignNanos, null);
    }

    /** The timestamp of the sample that a sample at {@code ts} is summed into (itself without buckets). */
    public long bucketOf(long ts) {
      return bucketEnd(ts, bucketAlignNanos, bucketWidthNanos);
    }
  }

  /**
   * The end {@code align + k·width} of the bucket {@code (align + (k-1)·width, align + k·width]}
   * holding {@code ts}; {@code ts} itself when {@code width <= 0}.
   */
  public static long bucketEnd(long ts, long align, long width) {
    if (width <= 0) {
      return ts;
    }
    return align - Math.floorDiv(align - ts, width) * width;
  }

  /** {@code by (labels)} or, with {@code without}, {@code without (labels)}; {@code by ()} is one series. */
  public record SampleGrouping(boolean without, List<String> labels) {}

  /**
   * One series of the answer: its tenant, its labels (after the pipeline, the unwrap and the
   * grouping; complete with {@code __error__} for samples whose extraction failed), the partition
   * its entries came from, and its samples sorted by timestamp.
   */
  public record SampleSeries(String tenant, Map<String, String> labels, int partition, List<Sample> samples) {}

  /**
   * One sample, on the wire as {@code [ts, value]}; a value that is not finite is written as the
   * string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}.
   */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"ts", "value"})
  public record Sample(long ts, double value) {}

  /**
   * The samples an ingester holds: {@code partitions} lists every partition it answered for (so a
   * querier can take each partition from one ingester while ownership moves, and can tell when a
   * partition is answered by nobody): the partitions it owns and has caught up on (replayed, then
   * consumed up to the end offset the partition had when it was assigned); a partition still
   * replaying is neither listed nor read. {@code series} the
   * samples, one series per tenant, labels and partition; {@code entriesScanned} and
   * {@code bytesScanned} count the entries in the range of the selected streams and the bytes of
   * their lines, before the pipeline (for the query statistics; absent: 0).
   */
  public record SamplesResponse(int version, List<Integer> partitions, List<SampleSeries> series, Long entriesScanned,
      Long bytesScanned) {
    public SamplesResponse {
      entriesScanned = entriesScanned == null ? 0L : entriesScanned;
      bytesScanned = bytesScanned == null ? 0L : bytesScanned;
    }

    /** An answer without statistics. */
    public SamplesResponse(int version, List<Integer> partitions, List<SampleSeries> series) {
      this(version, partitions, series, 0L, 0L);
    }
  }
}
