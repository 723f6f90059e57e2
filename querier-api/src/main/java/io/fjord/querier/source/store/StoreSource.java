package io.fjord.querier.source.store;

import io.fjord.common.http.ApiException;
import io.fjord.logql.LogQL;
import io.fjord.logql.LogQLException;
import io.fjord.logql.ast.Expr;
import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.MatchType;
import io.fjord.logql.ast.Position;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.eval.ExtractedSample;
import io.fjord.logql.eval.LogPipeline;
import io.fjord.logql.eval.SampleExtractor;
import io.fjord.logql.eval.StreamSampleExtractor;
import io.fjord.logql.exec.LogMerge;
import io.fjord.logql.exec.ScanSlices;
import io.fjord.logql.eval.LinePrefilter;
import io.fjord.schemas.chunk.LineFilter;
import io.fjord.logql.exec.SampleCollector;
import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.LabelsRequest;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.querier.source.SeriesRequest;
import io.fjord.querier.source.TenantSamples;
import io.fjord.querier.source.TenantSeries;
import io.fjord.querier.source.TenantStream;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.text.Utf8;
import io.fjord.store.ObjectStore;
import io.fjord.store.index.ChunkIndex;
import io.fjord.store.index.ChunkRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The flushed chunks as a {@link LogSource}: the chunk index says which chunks of which streams
 * overlap a query (selected by the query's stream matchers on the labels the index keeps), and the
 * chunks are read from the object store by byte ranges, with the same query code the ingesters run
 * over memory ({@link LogMerge}, {@link SampleCollector}).
 *
 * <ul>
 *   <li>Log queries walk each stream's chunks as one de-duplicated merge ({@link ChunkMergeIterator}),
 *       merge the streams through the pipeline and stop at the limit: chunks and blocks past it are
 *       never fetched.</li>
 *   <li>Samples count every entry once, also when chunks of a stream overlap and repeat entries.</li>
 *   <li>Label names and values and series come from the index alone; no chunk is read.</li>
 *   <li>A chunk missing in the store is skipped (see {@link ChunkOpener}); an unreachable store is a
 *       503 naming it ({@link ChunkStoreException}).</li>
 * </ul>
 *
 * <p>{@link #planSelect} and {@link #planSamples} split a query in two: the index lookup, which
 * names the chunks (so a caller can tell the ingesters to leave them out and ask them at once), and
 * the chunk reads.
 *
 * <p>Both kinds of query use every core: a log query lays its streams into one share of equal work
 * per core ({@link ScanSlices}; with a line filter, a stream that straddles a cut is split in time
 * at a chunk's start, so one stream also keeps every core busy), merges each share to the limit in
 * parallel, and keeps the first entries of all; a samples request reads the streams in parallel. A samples request that only counts entries per bucket with no label of the entries
 * kept ({@code sum(count_over_time({...}[1h]))}) counts whole blocks from the chunk footers without
 * fetching them ({@link WholeBlocks}); only the blocks at the edges of the range and buckets, and
 * those spanned by another chunk of their stream, are decoded.
 *
 * <p>Memory: a log query holds one decoded block per selected stream (plus one per chunk
 * overlapping it; with a prefilter, only the entries it lets through), because each group's merge
 * starts all its streams before taking the first entry: a query selecting thousands of streams in
 * one time split holds thousands of blocks. A samples request walks one stream per core at a time.
 * Thread-safe; it does not own the store or the index (the caller closes them).
 */
public final class StoreSource implements LogSource {
  private final ChunkSelection selection;
  private final ChunkOpener opener;
  private final int shares;

  public StoreSource(ObjectStore store, ChunkIndex index) {
    this(store, index, Runtime.getRuntime().availableProcessors());
  }

  /** @param shares how many shares a log query's scan is cut into (the cores to use) */
  StoreSource(ObjectStore store, ChunkIndex index, int shares) {
    this.selection = new ChunkSelection(index, store);
    this.opener = new ChunkOpener(store);
    this.shares = shares;
  }

  /** Chunks the index listed but the store no longer held, skipped since start. */
  public long missingChunks() {
    return opener.missing();
  }

  @Override
  public SelectResult select(SelectRequest r) {
    return planSelect(r).read();
  }

  @Override
  public SampleResult samples(SampleRequest r) {
    return planSamples(r).read();
  }

  /**
   * A query whose chunks the index has named but which has not read them yet: {@link #chunks()}
   * says which chunks {@link #read()} will use (a caller tells the ingesters to leave them out and
   * asks them meanwhile). Read it once, on any one thread.
   */
  public interface Plan<R> {
    /** The chunks the query selected, each once. */
    List<ChunkRef> chunks();

    /** Reads the chunks and answers the query. */
    R read();
  }

  /** Finds the chunks of a log query through the index; checks the request. */
  public Plan<SelectResult> planSelect(SelectRequest r) {
    if (r.limit() <= 0) {
      throw ApiException.badRequest("limit must be positive, got " + r.limit());
    }
    LogSelectorExpr expr = logQuery(r.query());
    List<StreamChunks> streams = selection.streams(r.tenants(), r.startNanos(), r.endNanos(), expr.matchers());
    return new Planned<>(streams, () -> readLogs(r, expr, streams));
  }

  /** Finds the chunks of a samples request through the index; checks the request. */
  public Plan<SampleResult> planSamples(SampleRequest r) {
    if (r.bucketWidthNanos() < 0) {
      throw ApiException.badRequest("bucket width must not be negative, got " + r.bucketWidthNanos());
    }
    RangeAggregationExpr expr = rangeAggregation(r.query());
    Optional<Grouping> grouping = r.grouping() == null ? expr.grouping() : Optional.of(r.grouping());
    SampleExtractor extractor;
    try {
      extractor = SampleExtractor.of(expr, grouping);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    // a block's entries can be counted off its footer when each gives the sample 1 under labels that
    // do not depend on the entry: the footer does not say whether entries carry structured metadata
    // (which would become sample labels), so only a grouping that keeps no label (`sum(...)`) allows it
    boolean countBlocks = extractor.countsEntriesOnly() && r.bucketWidthNanos() > 0
        && grouping.isPresent() && !grouping.get().without() && grouping.get().labels().isEmpty();
    List<StreamChunks> streams = selection.streams(r.tenants(), r.startNanos(), r.endNanos(),
        expr.range().selector().matchers());
    return new Planned<>(streams, () -> readSamples(r, extractor, countBlocks, streams));
  }

  private record Planned<R>(List<StreamChunks> streams, Supplier<R> reader) implements Plan<R> {
    @Override
    public List<ChunkRef> chunks() {
      List<ChunkRef> out = new ArrayList<>();
      streams.forEach(s -> out.addAll(s.chunks()));
      return out;
    }

    @Override
    public R read() {
      return reader.get();
    }
  }

  private SelectResult readLogs(SelectRequest r, LogSelectorExpr expr, List<StreamChunks> streams) {
    boolean forward = r.direction() == Direction.FORWARD;
    LogPipeline pipeline = LogPipeline.of(expr);
    LinePrefilter prefilter = pipeline.prefilter();
    LineFilter filter = prefilter.isNone() ? LineFilter.ALL : prefilter;
    // the streams laid into one share of equal work per core (ScanSlices, by entries; with a line
    // filter, a stream straddling a cut is split in time at a chunk's start), each merged to the
    // limit on its own thread (the common pool and this one), then the first entries of all kept
    List<List<ScanSlices.Piece>> pieces = new ArrayList<>(streams.size());
    for (StreamChunks s : streams) {
      List<ScanSlices.Piece> chunks = new ArrayList<>(s.chunks().size());
      for (ChunkRef c : s.chunks()) {
        chunks.add(new ScanSlices.Piece(c.fromNanos(), c.throughNanos(), c.entries()));
      }
      pieces.add(chunks);
    }
    List<List<ScanSlices.Slice>> cut =
        ScanSlices.split(pieces, r.startNanos(), r.endNanos(), shares, !prefilter.isNone());
    record Part(List<IngesterProtocol.StreamResult> streams, long entriesScanned, long bytesScanned) {}
    List<Part> answers = (cut.size() == 1 ? cut.stream() : cut.parallelStream()).map(share -> {
      LogMerge merge = new LogMerge(pipeline, forward);
      for (ScanSlices.Slice slice : share) {
        StreamChunks s = streams.get(slice.stream());
        List<ChunkRef> chunks = overlapping(s.chunks(), slice.startNanos(), slice.endNanos());
        merge.add(s.tenant(), s.labels(), new ChunkMergeIterator(opener, chunks, forward, slice.startNanos(),
            slice.endNanos(), filter));
      }
      return new Part(merge.take(r.limit()), merge.entriesScanned(), merge.bytesScanned());
    }).toList();
    long entriesScanned = 0;
    long bytesScanned = 0;
    List<List<IngesterProtocol.StreamResult>> taken = new ArrayList<>(answers.size());
    for (Part p : answers) {
      entriesScanned += p.entriesScanned();
      bytesScanned += p.bytesScanned();
      taken.add(p.streams());
    }
    List<IngesterProtocol.StreamResult> first = taken.isEmpty() ? List.of()
        : taken.size() == 1 ? taken.get(0) : LogMerge.firstOf(taken, r.limit(), forward);
    List<TenantStream> out = new ArrayList<>();
    for (IngesterProtocol.StreamResult s : first) {
      List<Entry> entries = new ArrayList<>(s.entries().size());
      for (IngesterProtocol.Entry e : s.entries()) {
        entries.add(new Entry(e.ts(), e.line()));
      }
      out.add(new TenantStream(s.tenant(), Labels.of(s.labels()), entries));
    }
    return new SelectResult(out, 0, entriesScanned, bytesScanned);
  }

  /** The chunks (in their order) that may hold entries with {@code start <= ts < end}. */
  private static List<ChunkRef> overlapping(List<ChunkRef> chunks, long start, long end) {
    List<ChunkRef> out = new ArrayList<>(chunks.size());
    for (ChunkRef c : chunks) {
      if (c.fromNanos() < end && c.throughNanos() >= start) {
        out.add(c);
      }
    }
    return out.size() == chunks.size() ? chunks : out;
  }

  private SampleResult readSamples(SampleRequest r, SampleExtractor extractor, boolean countBlocks,
      List<StreamChunks> streams) {
    IngesterProtocol.SamplesRequest buckets = new IngesterProtocol.SamplesRequest(IngesterProtocol.VERSION,
        r.tenants(), r.query(), null, r.startNanos(), r.endNanos(), r.bucketWidthNanos(), r.bucketAlignNanos());
    LinePrefilter prefilter = extractor.prefilter();
    LineFilter filter = prefilter.isNone() ? LineFilter.ALL : prefilter;
    // streams are independent: extract each on its own collector, in parallel (the common pool and
    // this thread), then replay them in stream order, so equal timestamps keep the order and the
    // bucket sums the association of a sequential read
    List<SampleCollector> perStream = streams.parallelStream().map(s -> {
      SampleCollector c = new SampleCollector(0, buckets);
      StreamSampleExtractor x = extractor.forStream(s.labels());
      ChunkMergeIterator entries;
      if (countBlocks) {
        WholeBlocks blocks = new WholeBlocks(opener, s.chunks(), r.startNanos(), r.endNanos(), r::bucketOf);
        if (!blocks.counted().isEmpty()) {
          Labels labels = x.process(r.startNanos(), "", Labels.EMPTY).labels(); // every entry's sample labels
          for (WholeBlocks.Counted b : blocks.counted()) {
            // read in the statistics with the decoded size the footer gives: the lines and their framing
            c.scanned(b.entries(), b.rawLength());
            c.add(s.tenant(), labels, b.minTs(), b.entries());
          }
        }
        entries = new ChunkMergeIterator(blocks.toDecode(), true,
            ref -> blocks.entries(ref, r.startNanos(), r.endNanos()));
      } else {
        entries = new ChunkMergeIterator(opener, s.chunks(), true, r.startNanos(), r.endNanos(), filter);
      }
      while (entries.next()) {
        c.scanned(Utf8.length(entries.line()));
        ExtractedSample sample = x.process(entries.ts(), entries.line(), entries.metadata());
        if (sample != null) {
          c.add(s.tenant(), sample.labels(), entries.ts(), sample.value());
        }
      }
      c.scanned(entries.skippedEntries(), entries.skippedBytes());
      return c;
    }).toList();
    SampleCollector collector = new SampleCollector(0, buckets);
    for (SampleCollector c : perStream) {
      collector.scanned(c.entriesScanned(), c.bytesScanned());
      for (IngesterProtocol.SampleSeries one : c.series()) {
        Labels labels = Labels.of(one.labels());
        for (IngesterProtocol.Sample x : one.samples()) {
          collector.add(one.tenant(), labels, x.ts(), x.value());
        }
      }
    }
    List<TenantSamples> series = new ArrayList<>();
    for (IngesterProtocol.SampleSeries s : collector.series()) {
      long[] ts = new long[s.samples().size()];
      double[] vs = new double[ts.length];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = s.samples().get(i).ts();
        vs[i] = s.samples().get(i).value();
      }
      series.add(new TenantSamples(s.tenant(), Labels.of(s.labels()), ts, vs));
    }
    return new SampleResult(series, 0, collector.entriesScanned(), collector.bytesScanned());
  }

  @Override
  public List<String> labels(LabelsRequest r) {
    List<LabelMatcher> matchers = new ArrayList<>();
    if (r.selector() != null && !r.selector().isBlank()) {
      matchers.addAll(selector(r.selector()).matchers());
    }
    if (r.name() != null) {
      matchers.add(new LabelMatcher(r.name(), MatchType.NEQ, "", Position.NONE));
    }
    Set<String> values = new TreeSet<>();
    for (ChunkRef ref : selection.refs(r.tenants(), r.startNanos(), r.endNanos(), matchers)) {
      if (r.name() == null) {
        values.addAll(ref.labels().names());
      } else {
        values.add(ref.labels().get(r.name()));
      }
    }
    return List.copyOf(values);
  }

  @Override
  public List<TenantSeries> series(SeriesRequest r) {
    List<List<LabelMatcher>> selectors = new ArrayList<>();
    if (r.match().isEmpty()) {
      selectors.add(List.of());
    }
    for (String m : r.match()) {
      selectors.add(selector(m).matchers());
    }
    Set<TenantSeries> out = new LinkedHashSet<>();
    for (List<LabelMatcher> matchers : selectors) {
      for (ChunkRef ref : selection.refs(r.tenants(), r.startNanos(), r.endNanos(), matchers)) {
        out.add(new TenantSeries(ref.tenant(), ref.labels()));
      }
    }
    return List.copyOf(out);
  }

  private static LogSelectorExpr logQuery(String query) {
    if (!(parse(query) instanceof LogSelectorExpr selector)) {
      throw ApiException.badRequest("a log query is a stream selector with an optional pipeline, got: " + query);
    }
    return selector;
  }

  private static RangeAggregationExpr rangeAggregation(String query) {
    if (!(parse(query) instanceof RangeAggregationExpr range)) {
      throw ApiException.badRequest("samples are asked for one range aggregation, e.g. count_over_time({app=\"x\"}[1m])");
    }
    return range;
  }

  private static Expr parse(String query) {
    try {
      return LogQL.parse(query);
    } catch (LogQLException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static LogSelectorExpr selector(String query) {
    try {
      return LogQL.parseSelector(query);
    } catch (LogQLException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
