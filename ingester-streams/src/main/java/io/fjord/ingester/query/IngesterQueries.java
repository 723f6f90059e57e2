package io.fjord.ingester.query;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.ApiException;
import io.fjord.ingester.chunk.Block;
import io.fjord.ingester.chunk.EntryCursor;
import io.fjord.ingester.chunk.EntryRun;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.partition.PartitionState;
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
import io.fjord.logql.eval.LinePrefilter;
import io.fjord.logql.eval.LogPipeline;
import io.fjord.logql.eval.SampleExtractor;
import io.fjord.logql.eval.StreamSampleExtractor;
import io.fjord.logql.exec.LogMerge;
import io.fjord.logql.exec.ScanSlices;
import io.fjord.logql.exec.SampleCollector;
import io.fjord.ingester.chunk.StreamSnapshot;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.ingester.IngesterProtocol.Direction;
import io.fjord.schemas.ingester.IngesterProtocol.LabelsRequest;
import io.fjord.schemas.ingester.IngesterProtocol.LabelsResponse;
import io.fjord.schemas.ingester.IngesterProtocol.QueryRequest;
import io.fjord.schemas.ingester.IngesterProtocol.QueryResponse;
import io.fjord.schemas.ingester.IngesterProtocol.StreamResult;
import io.fjord.schemas.ingester.IngesterProtocol.SampleSeries;
import io.fjord.schemas.ingester.IngesterProtocol.SamplesRequest;
import io.fjord.schemas.ingester.IngesterProtocol.SamplesResponse;
import io.fjord.schemas.ingester.IngesterProtocol.Series;
import io.fjord.schemas.ingester.IngesterProtocol.SeriesRequest;
import io.fjord.schemas.ingester.IngesterProtocol.SeriesResponse;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Answers the querier ↔ ingester protocol ({@link IngesterProtocol}) from the partitions this
 * instance owns right now and has caught up on: log queries, the samples of metric queries, label
 * names and values, series. A partition the {@code caughtUp} test refuses (still replaying, or not
 * yet consumed up to where it was when assigned) is neither read nor listed; every answer lists in
 * {@code partitions} exactly the partitions it read, so the querier can ask again while no
 * ingester covers some partition. Every answer covers only
 * the tenants the request names. A request that is malformed, of another protocol version, or
 * carries an invalid LogQL query is refused with an {@link ApiException} 400 naming the problem.
 * Log and sample queries leave out the flushed chunks whose object keys the request lists in
 * {@code excludeChunks} (the querier read them from the store); open and unflushed chunks are never
 * left out.
 * Thread-safe: any number of requests run concurrently with ingestion.
 */
public final class IngesterQueries {
  private final PartitionRegistry registry;
  private final LimitsConfig limits;
  private final Predicate<PartitionState> caughtUp;
  private final int shares;

  /** Answers from every registered partition whose replay is done. */
  public IngesterQueries(PartitionRegistry registry, LimitsConfig limits) {
    this(registry, limits, PartitionState::replayed);
  }

  /**
   * @param caughtUp whether a registered partition may be read and listed (called from HTTP threads)
   */
  public IngesterQueries(PartitionRegistry registry, LimitsConfig limits, Predicate<PartitionState> caughtUp) {
    this(registry, limits, caughtUp, Runtime.getRuntime().availableProcessors());
  }

  /** @param shares how many shares a log query's scan is cut into (the cores to use) */
  IngesterQueries(PartitionRegistry registry, LimitsConfig limits, Predicate<PartitionState> caughtUp, int shares) {
    this.registry = registry;
    this.limits = limits;
    this.caughtUp = caughtUp;
    this.shares = shares;
  }

  /** The registered partitions that may be answered for now, by partition number. */
  private List<PartitionState> served() {
    return registry.all().stream().filter(caughtUp).toList();
  }

  public QueryResponse query(QueryRequest r) {
    checkCommon(r.version(), r.tenants(), r.startNanos(), r.endNanos());
    if (r.query() == null || r.query().isBlank()) {
      throw ApiException.badRequest("query is required");
    }
    if (r.limit() <= 0) {
      throw ApiException.badRequest("limit must be positive, got " + r.limit());
    }
    if (r.limit() > limits.maxEntriesLimitPerQuery()) {
      throw ApiException.badRequest("max entries limit per query exceeded, limit > max_entries_limit ("
          + r.limit() + " > " + limits.maxEntriesLimitPerQuery() + ")");
    }
    if (r.direction() == null) {
      throw ApiException.badRequest("direction is required (FORWARD or BACKWARD)");
    }
    LogSelectorExpr expr = logQuery(r.query());
    StreamSelection selection = new StreamSelection(expr.matchers());
    boolean forward = r.direction() == Direction.FORWARD;
    LogPipeline pipeline = LogPipeline.of(expr);
    LinePrefilter prefilter = pipeline.prefilter();
    Set<String> exclude = Set.copyOf(r.excludeChunks());
    // snapshots are taken under each partition's read guard; walking them needs no lock
    List<Integer> partitions = new ArrayList<>();
    List<Snapshot> snapshots = new ArrayList<>();
    for (PartitionState p : served()) {
      Optional<List<Snapshot>> taken = p.read(state -> {
        List<Snapshot> found = new ArrayList<>();
        for (String tenant : distinct(r.tenants())) {
          for (SelectedStream s : selection.select(state.index(), state.memory(), tenant, r.startNanos(),
              r.endNanos())) {
            StreamSnapshot snapshot = s.memory().snapshot(r.startNanos(), r.endNanos(), exclude);
            if (!snapshot.isEmpty()) {
              found.add(new Snapshot(s.tenant(), s.labels(), snapshot));
            }
          }
        }
        return found;
      });
      if (taken.isPresent()) {
        partitions.add(p.partition());
        snapshots.addAll(taken.get());
      }
    }
    // the streams laid into one share of equal work per core (ScanSlices; with a line filter, a
    // stream straddling a cut is split in time at a block), each merged to the limit in parallel
    // (the common pool plus this thread), then the first entries of all of them kept
    List<List<ScanSlices.Piece>> pieces = new ArrayList<>(snapshots.size());
    snapshots.forEach(s -> pieces.add(pieces(s.snapshot())));
    List<List<ScanSlices.Slice>> cut =
        ScanSlices.split(pieces, r.startNanos(), r.endNanos(), shares, !prefilter.isNone());
    List<ShareAnswer> answers = (cut.size() == 1 ? cut.stream() : cut.parallelStream()).map(share -> {
      LogMerge merge = new LogMerge(pipeline, forward);
      for (ScanSlices.Slice slice : share) {
        Snapshot s = snapshots.get(slice.stream());
        merge.add(s.tenant(), s.labels(),
            new EntryCursor(s.snapshot(), slice.startNanos(), slice.endNanos(), forward, prefilter));
      }
      return new ShareAnswer(merge.take(r.limit()), merge.entriesScanned(), merge.bytesScanned());
    }).toList();
    List<List<StreamResult>> parts = new ArrayList<>();
    long entries = 0;
    long bytes = 0;
    for (ShareAnswer a : answers) {
      parts.add(a.streams());
      entries += a.entriesScanned();
      bytes += a.bytesScanned();
    }
    List<StreamResult> streams = parts.isEmpty() ? List.of()
        : parts.size() == 1 ? parts.get(0) : LogMerge.firstOf(parts, r.limit(), forward);
    return new QueryResponse(IngesterProtocol.VERSION, streams, entries, bytes, partitions);
  }

  /**
   * The samples of a metric query's range aggregation ({@link SamplesRequest}): every entry with
   * {@code start <= ts < end} of the selected streams goes through the aggregation's pipeline and
   * sample extraction; the answer names every partition it covers and holds one series per
   * partition, tenant and label set.
   */
  public SamplesResponse samples(SamplesRequest r) {
    checkCommon(r.version(), r.tenants(), r.startNanos(), r.endNanos());
    if (r.query() == null || r.query().isBlank()) {
      throw ApiException.badRequest("query is required");
    }
    if (r.bucketWidthNanos() < 0) {
      throw ApiException.badRequest("bucketWidthNanos must not be negative, got " + r.bucketWidthNanos());
    }
    RangeAggregationExpr expr = rangeAggregation(r.query());
    SampleExtractor extractor;
    try {
      extractor = SampleExtractor.of(expr, r.grouping() == null ? expr.grouping()
          : Optional.of(new Grouping(r.grouping().without(),
              r.grouping().labels() == null ? List.of() : r.grouping().labels())));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    StreamSelection selection = new StreamSelection(expr.range().selector().matchers());
    Set<String> exclude = Set.copyOf(r.excludeChunks());
    List<Integer> partitions = new ArrayList<>();
    List<SampleSeries> series = new ArrayList<>();
    long entries = 0;
    long bytes = 0;
    LinePrefilter prefilter = extractor.prefilter();
    boolean countsOnly = extractor.countsEntriesOnly() && r.bucketWidthNanos() > 0;
    // partitions are independent: read them in parallel (the common pool plus this thread: every core)
    List<Optional<SampleCollector>> answers = served().parallelStream().map(p -> p.read(state -> {
      SampleCollector collector = new SampleCollector(state.partition(), r);
      for (String tenant : distinct(r.tenants())) {
        for (SelectedStream s : selection.select(state.index(), state.memory(), tenant, r.startNanos(),
            r.endNanos())) {
          StreamSampleExtractor x = extractor.forStream(s.labels());
          StreamSnapshot snapshot = s.memory().snapshot(r.startNanos(), r.endNanos(), exclude);
          if (countsOnly) {
            snapshot = countWholeBlocks(snapshot, r, x, tenant, collector);
          }
          EntryCursor cursor = new EntryCursor(snapshot, r.startNanos(), r.endNanos(), true, prefilter);
          while (cursor.next()) {
            collector.scanned(cursor.lineBytes());
            ExtractedSample sample = x.process(cursor.ts(), cursor.line(), cursor.metadata());
            if (sample != null) {
              collector.add(tenant, sample.labels(), cursor.ts(), sample.value());
            }
          }
          collector.scanned(cursor.skippedEntries(), cursor.skippedBytes());
        }
      }
      return collector;
    })).toList();
    for (Optional<SampleCollector> answered : answers) {
      if (answered.isPresent()) {
        partitions.add(answered.get().partition());
        series.addAll(answered.get().series());
        entries += answered.get().entriesScanned();
        bytes += answered.get().bytesScanned();
      }
    }
    return new SamplesResponse(IngesterProtocol.VERSION, partitions, series, entries, bytes);
  }

  /**
   * Counts, off their metadata and without decompressing them, the blocks of {@code snapshot} whose
   * entries all fall in the request's range and in one bucket and carry no structured metadata (so
   * each entry's sample is 1 under the stream's own labels); returns the snapshot of what is left
   * to walk. Only for extractors that {@linkplain SampleExtractor#countsEntriesOnly count entries}.
   */
  private static StreamSnapshot countWholeBlocks(StreamSnapshot snapshot, SamplesRequest r, StreamSampleExtractor x,
      String tenant, SampleCollector collector) {
    List<Block> rest = new ArrayList<>(snapshot.blocks().size());
    Labels labels = null;
    for (Block b : snapshot.blocks()) {
      if (b.hasMetadata() || !b.within(r.startNanos(), r.endNanos()) || r.bucketOf(b.minTs()) != r.bucketOf(b.maxTs())) {
        rest.add(b);
        continue;
      }
      if (labels == null) {
        labels = x.process(b.minTs(), "", Labels.EMPTY).labels(); // the sample labels of any such entry
      }
      collector.scanned(b.entries(), b.lineBytes());
      collector.add(tenant, labels, b.minTs(), b.entries());
    }
    return rest.size() == snapshot.blocks().size() ? snapshot : new StreamSnapshot(rest, snapshot.head());
  }

  /** One selected stream of a log query, as it was when the query took it. */
  private record Snapshot(String tenant, Labels labels, StreamSnapshot snapshot) {}

  /** One share's part of a log query's answer. */
  private record ShareAnswer(List<StreamResult> streams, long entriesScanned, long bytesScanned) {}

  /** A snapshot's units of work for {@link ScanSlices}: its blocks (by line bytes) and its head. */
  private static List<ScanSlices.Piece> pieces(StreamSnapshot snapshot) {
    List<ScanSlices.Piece> out = new ArrayList<>(snapshot.blocks().size() + 1);
    for (Block b : snapshot.blocks()) {
      out.add(new ScanSlices.Piece(b.minTs(), b.maxTs(), b.lineBytes()));
    }
    EntryRun head = snapshot.head();
    if (head.size() > 0) {
      long bytes = 0;
      for (int i = 0; i < head.size(); i++) {
        bytes += head.lineBytes(i);
      }
      out.add(new ScanSlices.Piece(head.ts(0), head.ts(head.size() - 1), bytes));
    }
    return out;
  }

  public LabelsResponse labels(LabelsRequest r) {
    checkCommon(r.version(), r.tenants(), r.startNanos(), r.endNanos());
    List<LabelMatcher> matchers = new ArrayList<>();
    if (r.query() != null && !r.query().isBlank()) {
      matchers.addAll(selector(r.query()).matchers());
    }
    if (r.name() != null) {
      // only streams that have the label can contribute a value: lets the index narrow by name
      matchers.add(new LabelMatcher(r.name(), MatchType.NEQ, "", Position.NONE));
    }
    StreamSelection selection = new StreamSelection(matchers);
    TreeSet<String> values = new TreeSet<>();
    List<Integer> partitions = new ArrayList<>();
    for (SelectedStream s : selectAll(selection, r.tenants(), r.startNanos(), r.endNanos(), partitions)) {
      if (r.name() == null) {
        values.addAll(s.labels().names());
      } else {
        values.add(s.labels().get(r.name()));
      }
    }
    return new LabelsResponse(IngesterProtocol.VERSION, List.copyOf(values), partitions);
  }

  public SeriesResponse series(SeriesRequest r) {
    checkCommon(r.version(), r.tenants(), r.startNanos(), r.endNanos());
    List<StreamSelection> selections = new ArrayList<>();
    if (r.match() == null || r.match().isEmpty()) {
      selections.add(StreamSelection.all());
    } else {
      for (String m : r.match()) {
        selections.add(new StreamSelection(selector(m).matchers()));
      }
    }
    TreeMap<String, TreeSet<Labels>> found = new TreeMap<>();
    // every selection reads the same partitions: the first one's list is the answer's
    List<Integer> partitions = null;
    for (StreamSelection selection : selections) {
      List<Integer> read = new ArrayList<>();
      for (SelectedStream s : selectAll(selection, r.tenants(), r.startNanos(), r.endNanos(), read)) {
        found.computeIfAbsent(s.tenant(), t -> new TreeSet<>()).add(s.labels());
      }
      partitions = partitions == null ? read : intersection(partitions, read);
    }
    List<Series> out = new ArrayList<>();
    found.forEach((tenant, set) -> set.forEach(l -> out.add(new Series(tenant, l.toMap()))));
    return new SeriesResponse(IngesterProtocol.VERSION, out, partitions);
  }

  /**
   * The streams of every served partition that {@code selection} picks; adds the partitions read
   * to {@code read}.
   */
  private List<SelectedStream> selectAll(StreamSelection selection, List<String> tenants, long start, long end,
      List<Integer> read) {
    List<SelectedStream> out = new ArrayList<>();
    for (PartitionState p : served()) {
      Optional<List<SelectedStream>> part = p.read(state -> {
        List<SelectedStream> found = new ArrayList<>();
        for (String tenant : distinct(tenants)) {
          found.addAll(selection.select(state.index(), state.memory(), tenant, start, end));
        }
        return found;
      });
      if (part.isPresent()) {
        read.add(p.partition());
        out.addAll(part.get());
      }
    }
    return out;
  }

  /**
   * The partitions in both lists, in {@code a}'s order. A series answer read its selections one after
   * another; a partition closed in between was read by some only, so it is not covered.
   */
  private static List<Integer> intersection(List<Integer> a, List<Integer> b) {
    return a.stream().filter(b::contains).toList();
  }

  private static List<String> distinct(List<String> tenants) {
    return tenants.stream().distinct().toList();
  }

  private static void checkCommon(int version, List<String> tenants, long start, long end) {
    if (version != IngesterProtocol.VERSION) {
      throw ApiException.badRequest("unsupported ingester protocol version " + version + " (this ingester speaks "
          + IngesterProtocol.VERSION + ")");
    }
    if (tenants == null || tenants.isEmpty() || tenants.stream().anyMatch(t -> t == null || t.isEmpty())) {
      throw ApiException.badRequest("tenants is required");
    }
    if (end < start) {
      throw ApiException.badRequest("the end of the range (" + end + ") is before its start (" + start + ")");
    }
  }

  private static LogSelectorExpr logQuery(String query) {
    Expr expr;
    try {
      expr = LogQL.parse(query);
    } catch (LogQLException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (!(expr instanceof LogSelectorExpr selector)) {
      throw ApiException.badRequest("ingesters answer log queries only; metric queries are computed by the querier");
    }
    return selector;
  }

  private static RangeAggregationExpr rangeAggregation(String query) {
    Expr expr;
    try {
      expr = LogQL.parse(query);
    } catch (LogQLException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (!(expr instanceof RangeAggregationExpr range)) {
      throw ApiException.badRequest("samples are asked for one range aggregation, e.g. count_over_time({app=\"x\"}[1m])");
    }
    return range;
  }

  private static LogSelectorExpr selector(String query) {
    try {
      return LogQL.parseSelector(query);
    } catch (LogQLException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
