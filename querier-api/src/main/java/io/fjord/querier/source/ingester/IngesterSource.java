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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The ingesters as a {@link LogSource}: every request goes, in parallel, to every live ingester
 * (each answers for the partitions it owns at that moment), and the answers are concatenated for the
 * engine to merge. If any ingester fails or does not answer within the query timeout, the whole
 * request fails with an {@link IngesterException} naming it: partial data is never returned as if
 * complete. Thread-safe.
 */
public final class IngesterSource implements LogSource {
  private final Supplier<List<IngesterMember>> members;
  private final IngesterClient client;
  private final Duration timeout;

  /**
   * @param members the live ingesters, asked anew for every request
   * @param http the one HTTP client shared by all requests
   * @param timeout how long a request may take overall (Loki's {@code query_timeout})
   */
  public IngesterSource(Supplier<List<IngesterMember>> members, HttpClient http, Duration timeout) {
    this.members = members;
    this.client = new IngesterClient(http, timeout);
    this.timeout = timeout;
  }

  @Override
  public SelectResult select(SelectRequest r) {
    IngesterProtocol.QueryRequest wire = new IngesterProtocol.QueryRequest(IngesterProtocol.VERSION, r.tenants(),
        r.query(), r.startNanos(), r.endNanos(), r.limit(), IngesterProtocol.Direction.valueOf(r.direction().name()),
        r.excludeChunks());
    List<IngesterMember> asked = members.get();
    List<IngesterProtocol.QueryResponse> answers =
        fanOut(asked, IngesterProtocol.QUERY_PATH, wire, IngesterProtocol.QueryResponse.class,
            IngesterProtocol.QueryResponse::version);
    List<TenantStream> streams = new ArrayList<>();
    long entriesScanned = 0;
    long bytesScanned = 0;
    for (int i = 0; i < answers.size(); i++) {
      IngesterMember member = asked.get(i);
      for (IngesterProtocol.StreamResult s : nonNull(answers.get(i).streams())) {
        streams.add(new TenantStream(require(member, s.tenant(), "stream without tenant"),
            labels(member, s.labels()), entries(member, s.entries())));
      }
      entriesScanned += answers.get(i).entriesScanned();
      bytesScanned += answers.get(i).bytesScanned();
    }
    return new SelectResult(streams, asked.size(), entriesScanned, bytesScanned);
  }

  @Override
  public List<String> labels(LabelsRequest r) {
    IngesterProtocol.LabelsRequest wire = new IngesterProtocol.LabelsRequest(IngesterProtocol.VERSION, r.tenants(),
        r.startNanos(), r.endNanos(), r.name(), r.selector());
    List<String> out = new ArrayList<>();
    for (IngesterProtocol.LabelsResponse answer : fanOut(members.get(), IngesterProtocol.LABELS_PATH, wire,
        IngesterProtocol.LabelsResponse.class, IngesterProtocol.LabelsResponse::version)) {
      for (String v : nonNull(answer.values())) {
        if (v != null) {
          out.add(v);
        }
      }
    }
    return out;
  }

  @Override
  public List<TenantSeries> series(SeriesRequest r) {
    IngesterProtocol.SeriesRequest wire = new IngesterProtocol.SeriesRequest(IngesterProtocol.VERSION, r.tenants(),
        r.startNanos(), r.endNanos(), r.match());
    List<IngesterMember> asked = members.get();
    List<IngesterProtocol.SeriesResponse> answers = fanOut(asked, IngesterProtocol.SERIES_PATH, wire,
        IngesterProtocol.SeriesResponse.class, IngesterProtocol.SeriesResponse::version);
    List<TenantSeries> out = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      IngesterMember member = asked.get(i);
      for (IngesterProtocol.Series s : nonNull(answers.get(i).series())) {
        out.add(new TenantSeries(require(member, s.tenant(), "series without tenant"), labels(member, s.labels())));
      }
    }
    return out;
  }

  /**
   * Samples from every live ingester. While a partition moves, two ingesters may both answer for
   * it: each partition's samples are taken from the first ingester (in membership order) that
   * answered for it, so no entry is counted twice.
   */
  @Override
  public SampleResult samples(SampleRequest r) {
    IngesterProtocol.SampleGrouping grouping = r.grouping() == null ? null
        : new IngesterProtocol.SampleGrouping(r.grouping().without(), r.grouping().labels());
    IngesterProtocol.SamplesRequest wire = new IngesterProtocol.SamplesRequest(IngesterProtocol.VERSION, r.tenants(),
        r.query(), grouping, r.startNanos(), r.endNanos(), r.bucketWidthNanos(), r.bucketAlignNanos(),
        r.excludeChunks());
    List<IngesterMember> asked = members.get();
    List<IngesterProtocol.SamplesResponse> answers = fanOut(asked, IngesterProtocol.SAMPLES_PATH, wire,
        IngesterProtocol.SamplesResponse.class, IngesterProtocol.SamplesResponse::version);
    Map<Integer, Integer> owner = new HashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      for (Integer p : nonNull(answers.get(i).partitions())) {
        if (p != null) {
          owner.putIfAbsent(p, i);
        }
      }
    }
    List<TenantSamples> out = new ArrayList<>();
    long entries = 0;
    long bytes = 0;
    for (int i = 0; i < answers.size(); i++) {
      IngesterMember member = asked.get(i);
      entries += answers.get(i).entriesScanned();
      bytes += answers.get(i).bytesScanned();
      for (IngesterProtocol.SampleSeries s : nonNull(answers.get(i).series())) {
        Integer takenFrom = owner.get(s.partition());
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
    return new SampleResult(out, asked.size(), entries, bytes);
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

  /**
   * Sends {@code body} to every member in parallel; returns the answers in member order, or throws
   * the first failure (naming its ingester) as soon as it happens.
   */
  private <T> List<T> fanOut(List<IngesterMember> asked, String path, Object body, Class<T> type,
      Function<T, Integer> version) {
    List<CompletableFuture<T>> calls = new ArrayList<>(asked.size());
    CompletableFuture<Void> firstFailure = new CompletableFuture<>();
    for (IngesterMember m : asked) {
      CompletableFuture<T> call = client.post(m, path, body, type).thenApply(answer -> checkVersion(m, answer, version));
      call.whenComplete((v, e) -> {
        if (e != null) {
          firstFailure.completeExceptionally(e);
        }
      });
      calls.add(call);
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    try {
      CompletableFuture.anyOf(all, firstFailure).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      calls.forEach(c -> c.cancel(true));
      throw unwrap(e.getCause());
    } catch (TimeoutException e) {
      calls.forEach(c -> c.cancel(true));
      throw new IngesterException(504, "ingesters did not answer within the query timeout ("
          + timeout.toMillis() + "ms): " + pending(asked, calls), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      calls.forEach(c -> c.cancel(true));
      throw new IngesterException(503, "query interrupted while waiting for ingesters", e);
    }
    return calls.stream().map(CompletableFuture::join).toList();
  }

  private static <T> T checkVersion(IngesterMember m, T answer, Function<T, Integer> version) {
    int v = version.apply(answer);
    if (v != IngesterProtocol.VERSION) {
      throw IngesterException.failed(m.instance(), m.endpoint(),
          "answered protocol version " + v + ", this querier reads version " + IngesterProtocol.VERSION, null);
    }
    return answer;
  }

  /** The ingesters without an answer: still running, cancelled, or failed as the deadline struck (their own timeout). */
  private static String pending(List<IngesterMember> asked, List<? extends CompletableFuture<?>> calls) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      if (!calls.get(i).isDone() || calls.get(i).isCompletedExceptionally()) {
        names.add("ingester " + asked.get(i).instance() + " (" + asked.get(i).endpoint() + ")");
      }
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
