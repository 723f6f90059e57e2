package io.fjord.querier.source.ingester;

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
import io.fjord.schemas.ingester.IngesterMember;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.labels.Labels;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingesters as a {@link LogSource}: every request goes, in parallel, to every live ingester;
 * each answers for the partitions it owns and has caught up on, and lists them. The answers must
 * together cover every partition of the logs topic: ingesters that fail (unreachable, timed out,
 * 5xx, another protocol version) are then ignored. While some partition is covered by no answer (its
 * owner died and the new owner is still replaying, or nobody owns it yet), the request is sent again
 * to the ingesters live by then after a short backoff, for at most {@code partitionWait} (never past
 * the query timeout); then it fails with 503 naming the partitions. When the partition count is
 * unknown, or the answers do not cover every partition and one of them does not list its partitions
 * (an older ingester), coverage cannot be judged and any failure fails the request, naming the
 * ingester (502, 504 for a timeout). A 400 from an
 * ingester fails it at once. Partial data is never returned as if complete. Thread-safe.
 */
public final class IngesterSource implements LogSource {
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** No round is started with less than this left of the wait. */
  private static final long MIN_ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  /**
   * How long a round waits for slow ingesters at least, even past the wait (never past the query
   * timeout): the wait is for partitions to find a caught-up owner, not a bound on an ingester's
   * answer time.
   */
  private static final long ROUND_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final Logger log = LoggerFactory.getLogger(IngesterSource.class);

  private final Supplier<List<IngesterMember>> members;
  private final IntSupplier partitionCount;
  private final IngesterClient client;
  private final Duration timeout;
  private final Duration partitionWait;

  /**
   * A source that cannot judge coverage: every live ingester must answer.
   *
   * @param members the live ingesters, asked anew for every request
   * @param http the one HTTP client shared by all requests
   * @param timeout how long a request may take overall (Loki's {@code query_timeout})
   */
  public IngesterSource(Supplier<List<IngesterMember>> members, HttpClient http, Duration timeout) {
    this(members, () -> 0, http, timeout, Duration.ZERO);
  }

  /**
   * @param members the live ingesters, asked anew for every round
   * @param partitionCount the logs topic's partition count, 0 while unknown
   * @param http the one HTTP client shared by all requests
   * @param timeout how long a request may take overall (Loki's {@code query_timeout})
   * @param partitionWait how long to keep asking while some partition is covered by no answer
   *     ({@code querier.partition_wait}); capped at {@code timeout}
   */
  public IngesterSource(Supplier<List<IngesterMember>> members, IntSupplier partitionCount, HttpClient http,
      Duration timeout, Duration partitionWait) {
    this.members = members;
    this.partitionCount = partitionCount;
    this.client = new IngesterClient(http, timeout);
    this.timeout = timeout;
    this.partitionWait = partitionWait.compareTo(timeout) < 0 ? partitionWait : timeout;
  }

  @Override
  public SelectResult select(SelectRequest r) {
    IngesterProtocol.QueryRequest wire = new IngesterProtocol.QueryRequest(IngesterProtocol.VERSION, r.tenants(),
        r.query(), r.startNanos(), r.endNanos(), r.limit(), IngesterProtocol.Direction.valueOf(r.direction().name()),
        r.excludeChunks());
    List<FanOutRound.Answered<IngesterProtocol.QueryResponse>> answers = ask(IngesterProtocol.QUERY_PATH, wire,
        IngesterProtocol.QueryResponse.class, IngesterProtocol.QueryResponse::version,
        IngesterProtocol.QueryResponse::partitions);
    List<TenantStream> streams = new ArrayList<>();
    long entriesScanned = 0;
    long bytesScanned = 0;
    // a partition two answers list (it is moving) may give the same entries twice: the merge drops
    // entries with the same labels, timestamp and line
    for (FanOutRound.Answered<IngesterProtocol.QueryResponse> a : answers) {
      IngesterMember member = a.member();
      for (IngesterProtocol.StreamResult s : nonNull(a.answer().streams())) {
        streams.add(new TenantStream(require(member, s.tenant(), "stream without tenant"),
            labels(member, s.labels()), entries(member, s.entries())));
      }
      entriesScanned += a.answer().entriesScanned();
      bytesScanned += a.answer().bytesScanned();
    }
    return new SelectResult(streams, answers.size(), entriesScanned, bytesScanned);
  }

  /** Label names or values from the ingesters, each once. */
  @Override
  public List<String> labels(LabelsRequest r) {
    IngesterProtocol.LabelsRequest wire = new IngesterProtocol.LabelsRequest(IngesterProtocol.VERSION, r.tenants(),
        r.startNanos(), r.endNanos(), r.name(), r.selector());
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (FanOutRound.Answered<IngesterProtocol.LabelsResponse> a : ask(IngesterProtocol.LABELS_PATH, wire,
        IngesterProtocol.LabelsResponse.class, IngesterProtocol.LabelsResponse::version,
        IngesterProtocol.LabelsResponse::partitions)) {
      for (String v : nonNull(a.answer().values())) {
        if (v != null) {
          out.add(v);
        }
      }
    }
    return List.copyOf(out);
  }

  /** Series from the ingesters, each (tenant, labels) once. */
  @Override
  public List<TenantSeries> series(SeriesRequest r) {
    IngesterProtocol.SeriesRequest wire = new IngesterProtocol.SeriesRequest(IngesterProtocol.VERSION, r.tenants(),
        r.startNanos(), r.endNanos(), r.match());
    LinkedHashSet<TenantSeries> out = new LinkedHashSet<>();
    for (FanOutRound.Answered<IngesterProtocol.SeriesResponse> a : ask(IngesterProtocol.SERIES_PATH, wire,
        IngesterProtocol.SeriesResponse.class, IngesterProtocol.SeriesResponse::version,
        IngesterProtocol.SeriesResponse::partitions)) {
      IngesterMember member = a.member();
      for (IngesterProtocol.Series s : nonNull(a.answer().series())) {
        out.add(new TenantSeries(require(member, s.tenant(), "series without tenant"), labels(member, s.labels())));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Samples from the ingesters. While a partition moves, two ingesters may both answer for it: each
   * partition's samples are taken from the first ingester (in membership order) that answered for
   * it, so no entry is counted twice.
   */
  @Override
  public SampleResult samples(SampleRequest r) {
    IngesterProtocol.SampleGrouping grouping = r.grouping() == null ? null
        : new IngesterProtocol.SampleGrouping(r.grouping().without(), r.grouping().labels());
    IngesterProtocol.SamplesRequest wire = new IngesterProtocol.SamplesRequest(IngesterProtocol.VERSION, r.tenants(),
        r.query(), grouping, r.startNanos(), r.endNanos(), r.bucketWidthNanos(), r.bucketAlignNanos(),
        r.excludeChunks());
    List<FanOutRound.Answered<IngesterProtocol.SamplesResponse>> answers = ask(IngesterProtocol.SAMPLES_PATH, wire,
        IngesterProtocol.SamplesResponse.class, IngesterProtocol.SamplesResponse::version,
        IngesterProtocol.SamplesResponse::partitions);
    List<List<Integer>> listed = new ArrayList<>();
    answers.forEach(a -> listed.add(nonNull(a.answer().partitions())));
    Coverage owners = Coverage.of(0, listed);
    List<TenantSamples> out = new ArrayList<>();
    long entries = 0;
    long bytes = 0;
    for (int i = 0; i < answers.size(); i++) {
      IngesterMember member = answers.get(i).member();
      IngesterProtocol.SamplesResponse answer = answers.get(i).answer();
      entries += answer.entriesScanned();
      bytes += answer.bytesScanned();
      for (IngesterProtocol.SampleSeries s : nonNull(answer.series())) {
        Integer takenFrom = owners.ownerOf(s.partition());
        if (takenFrom == null) {
          throw IngesterException.failed(member.instance(), member.endpoint(),
              "answered samples of partition " + s.partition() + " without listing it", null);
        }
        if (takenFrom != i) {
          continue;
        }
        out.add(samples(member, require(member, s.tenant(), "sample series without tenant"), labels(member, s.labels()),
            s.samples()));
      }
    }
    return new SampleResult(out, answers.size(), entries, bytes);
  }

  /**
   * Sends {@code body} to the live ingesters, round after round, until their answers cover every
   * partition (or coverage cannot be judged and every ingester answered); returns the answers used,
   * in member order. Throws as the class comment says.
   */
  private <T> List<FanOutRound.Answered<T>> ask(String path, Object body, Class<T> type, Function<T, Integer> version,
      Function<T, List<Integer>> partitions) {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    long waitUntil = started + partitionWait.toNanos();
    long backoff = FIRST_BACKOFF_NANOS;
    int rounds = 0;
    while (true) {
      rounds++;
      int count = partitionCount.getAsInt();
      List<IngesterMember> asked = members.get();
      FanOutRound<T> round = new FanOutRound<>(asked, count, partitions);
      round.start(m -> client.post(m, path, body, type).thenApply(answer -> checkVersion(m, answer, version)));
      FanOutRound.Outcome<T> outcome;
      try {
        // with a known count, a round ends by the end of partition_wait, or the round's patience if
        // later; without, by the query timeout (which bounds both)
        long now = System.nanoTime();
        long end = count > 0 ? Math.max(waitUntil - now, ROUND_PATIENCE_NANOS) : Long.MAX_VALUE;
        outcome = round.await(end < deadline - now ? now + end : deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IngesterException(503, "query interrupted while waiting for ingesters", e);
      }
      if (outcome.fatal() != null) {
        throw unwrap(outcome.fatal());
      }
      List<List<Integer>> listed = new ArrayList<>();
      outcome.answers().forEach(a -> listed.add(partitions.apply(a.answer())));
      Coverage coverage = Coverage.of(count, listed);
      if (coverage.complete()) {
        if (rounds > 1 || !outcome.failures().isEmpty() || !outcome.pending().isEmpty()) {
          log.debug("{}: every partition covered after {} round(s); ignored: {}", path, rounds,
              problems(outcome));
        }
        return outcome.answers();
      }
      if (!coverage.known() || coverage.unlisted()) {
        // coverage cannot be judged: every live ingester must have answered
        if (!outcome.failures().isEmpty()) {
          throw unwrap(outcome.failures().get(0));
        }
        if (!outcome.pending().isEmpty()) {
          throw new IngesterException(504, "ingesters did not answer within the query timeout ("
              + timeout.toMillis() + "ms): " + names(outcome.pending()), null);
        }
        return outcome.answers();
      }
      long now = System.nanoTime();
      if (waitUntil - now < MIN_ROUND_NANOS) {
        throw notServed(coverage, outcome, now - started);
      }
      long pause = Math.min(backoff, waitUntil - now - MIN_ROUND_NANOS);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      try {
        TimeUnit.NANOSECONDS.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IngesterException(503, "query interrupted while waiting for ingesters", e);
      }
    }
  }

  /** The 503 of a request whose answers did not cover every partition within the wait. */
  private IngesterException notServed(Coverage coverage, FanOutRound.Outcome<?> last, long waitedNanos) {
    String problems = problems(last);
    return new IngesterException(503, "partitions " + coverage.missing() + " of the logs topic are not served"
        + " by any ready ingester (owner gone, or the new owner still replaying); gave up after "
        + TimeUnit.NANOSECONDS.toMillis(waitedNanos) + "ms (querier.partition_wait " + partitionWait.toMillis()
        + "ms)" + (problems.isEmpty() ? "" : "; " + problems), null);
  }

  /** The failures and silent ingesters of a round, for messages. */
  private static String problems(FanOutRound.Outcome<?> outcome) {
    List<String> out = new ArrayList<>();
    for (Throwable t : outcome.failures()) {
      out.add(String.valueOf(t.getMessage()));
    }
    if (!outcome.pending().isEmpty()) {
      out.add("no answer from " + names(outcome.pending()));
    }
    return String.join("; ", out);
  }

  private static TenantSamples samples(IngesterMember m, String tenant, Labels labels,
      List<IngesterProtocol.Sample> samples) {
    List<IngesterProtocol.Sample> list = nonNull(samples);
    long[] ts = new long[list.size()];
    double[] vs = new double[list.size()];
    for (int i = 0; i < ts.length; i++) {
      IngesterProtocol.Sample s = list.get(i);
      if (s == null) {
        throw IngesterException.failed(m.instance(), m.endpoint(), "answered a null sample", null);
      }
      if (i > 0 && s.ts() < ts[i - 1]) {
        throw IngesterException.failed(m.instance(), m.endpoint(), "answered samples out of order for " + labels, null);
      }
      ts[i] = s.ts();
      vs[i] = s.value();
    }
    return new TenantSamples(tenant, labels, ts, vs);
  }

  private static <T> T checkVersion(IngesterMember m, T answer, Function<T, Integer> version) {
    int v = version.apply(answer);
    if (v != IngesterProtocol.VERSION) {
      throw IngesterException.failed(m.instance(), m.endpoint(),
          "answered protocol version " + v + ", this querier reads version " + IngesterProtocol.VERSION, null);
    }
    return answer;
  }

  private static String names(List<IngesterMember> members) {
    List<String> names = new ArrayList<>();
    for (IngesterMember m : members) {
      names.add("ingester " + m.instance() + " (" + m.endpoint() + ")");
    }
    return String.join(", ", names);
  }

  private static RuntimeException unwrap(Throwable t) {
    while (t.getCause() != null && !(t instanceof IngesterException)) {
      t = t.getCause();
    }
    return t instanceof RuntimeException r ? r : new IngesterException(502, "ingester query failed: " + t, t);
  }

  private static Labels labels(IngesterMember m, Map<String, String> labels) {
    if (labels == null) {
      return Labels.EMPTY;
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw IngesterException.failed(m.instance(), m.endpoint(), "answered a label without name or value", null);
      }
    }
    return Labels.of(labels);
  }

  private static List<Entry> entries(IngesterMember m, List<IngesterProtocol.Entry> entries) {
    List<Entry> out = new ArrayList<>(entries == null ? 0 : entries.size());
    for (IngesterProtocol.Entry e : nonNull(entries)) {
      if (e == null || e.line() == null) {
        throw IngesterException.failed(m.instance(), m.endpoint(), "answered an entry without a line", null);
      }
      out.add(new Entry(e.ts(), e.line()));
    }
    return out;
  }

  private static String require(IngesterMember m, String value, String what) {
    if (value == null) {
      throw IngesterException.failed(m.instance(), m.endpoint(), "answered a " + what, null);
    }
    return value;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
