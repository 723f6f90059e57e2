package io.fjord.querier.tail;

import io.fjord.common.http.ApiException;
import io.fjord.querier.engine.QueryService;
import io.fjord.querier.engine.ResultStream;
import io.fjord.querier.engine.StreamsResult;
import io.fjord.querier.http.LokiJson;
import io.fjord.querier.source.Entry;
import io.fjord.querier.source.Direction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live tails ({@code /loki/api/v1/tail}) by polling: each tail first sends the newest {@code limit}
 * entries since its {@code start}, then asks the log-query path every {@code pollInterval} for the
 * entries after those already sent ({@link TailCursor}) up to now minus {@code delay_for}, and sends
 * what is new in messages of at most 100 entries. All tails share {@value #POLL_THREADS} poll
 * threads, so with many tails open a new entry may take longer than one interval to arrive. At most {@code maxPerTenant} tails run at once per tenant (the
 * {@code X-Scope-OrgID} value as given; Loki's {@code max_concurrent_tail_requests}, default 10);
 * one more is a 400 with Loki's text. A poll that fails is retried on the next tick; after {@value
 * #MAX_FAILURES} failures in a row the tail is closed with code 1011 and the error. {@link #close()}
 * stops every tail (code 1001) and the poll threads. Thread-safe.
 */
public final class TailService implements AutoCloseable {
  /** Loki's {@code max_concurrent_tail_requests} default. */
  public static final int DEFAULT_MAX_PER_TENANT = 10;
  static final int MAX_FAILURES = 5;
  /** Polls mostly wait on ingesters, so a few more threads than cores. */
  static final int POLL_THREADS = 4;
  /** As in Loki, a tail message carries at most 100 entries; more go out as several messages. */
  static final int MAX_ENTRIES_PER_MESSAGE = 100;
  static final int CLOSE_GOING_AWAY = 1001;
  static final int CLOSE_SERVER_ERROR = 1011;
  private static final Logger log = LoggerFactory.getLogger(TailService.class);
  private static final long WINDOW_NANOS = Duration.ofSeconds(10).toNanos();

  private final QueryService queries;
  private final Clock clock;
  private final long pollMillis;
  private final int maxPerTenant;
  private final int pollLimit;
  private final ScheduledExecutorService threads;
  private final Map<String, AtomicInteger> perTenant = new ConcurrentHashMap<>();
  private final Map<Tail, Boolean> open = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param queries runs the polls' log queries
   * @param clock now (the end of each poll)
   * @param pollInterval time between two polls of one tail (new entries arrive within about this)
   * @param maxPerTenant concurrent tails allowed per tenant
   * @param pollLimit the most entries one poll reads (the rest comes with the next polls)
   */
  public TailService(QueryService queries, Clock clock, Duration pollInterval, int maxPerTenant, int pollLimit) {
    this.queries = queries;
    this.clock = clock;
    this.pollMillis = pollInterval.toMillis();
    this.maxPerTenant = maxPerTenant;
    this.pollLimit = pollLimit;
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newScheduledThreadPool(POLL_THREADS, r -> {
      Thread t = new Thread(r, "fjord-tail-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Throws a 400 when the request's tenant already has {@code maxPerTenant} tails open. */
  public void checkCapacity(TailRequest request) {
    int count = count(request).get();
    if (count >= maxPerTenant) {
      throw tooMany(count + 1);
    }
  }

  /**
   * Starts a tail sending to {@code sink}; the returned handle stops it ({@link Tail#close()}, e.g.
   * when the client closes). Throws a 400 when the tenant is at its limit.
   */
  public Tail open(TailRequest request, TailSink sink) {
    if (closed) {
      throw new ApiException(503, "querier is shutting down");
    }
    AtomicInteger count = count(request);
    int now = count.incrementAndGet();
    if (now > maxPerTenant) {
      count.decrementAndGet();
      throw tooMany(now);
    }
    Tail tail = new Tail(request, sink, count);
    open.put(tail, Boolean.TRUE);
    tail.future = threads.scheduleWithFixedDelay(tail::poll, 0, pollMillis, TimeUnit.MILLISECONDS);
    if (tail.stopped.get()) {
      tail.future.cancel(false); // closed before the future was set
    }
    return tail;
  }

  /** How many tails are open (for tests and diagnostics). */
  public int openTails() {
    return open.size();
  }

  @Override
  public void close() {
    closed = true;
    for (Tail t : List.copyOf(open.keySet())) {
      t.stop(CLOSE_GOING_AWAY, "server shutting down");
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code streams} cut into messages of at most {@code max} entries, in order. */
  static List<List<ResultStream>> batches(List<ResultStream> streams, int max) {
    List<List<ResultStream>> out = new ArrayList<>();
    List<ResultStream> current = new ArrayList<>();
    int inCurrent = 0;
    for (ResultStream s : streams) {
      List<Entry> entries = s.entries();
      int from = 0;
      while (from < entries.size()) {
        int take = Math.min(max - inCurrent, entries.size() - from);
        current.add(new ResultStream(s.labels(), entries.subList(from, from + take)));
        from += take;
        inCurrent += take;
        if (inCurrent == max) {
          out.add(current);
          current = new ArrayList<>();
          inCurrent = 0;
        }
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private AtomicInteger count(TailRequest request) {
    return perTenant.computeIfAbsent(String.join("|", request.tenants()), k -> new AtomicInteger());
  }

  private ApiException tooMany(int count) {
    return ApiException.badRequest(
        "max concurrent tail requests limit exceeded, count > limit (" + count + " > " + maxPerTenant + ")");
  }

  private long nowNanos() {
    return Math.multiplyExact(clock.millis(), 1_000_000L);
  }

  /** One running tail. Its polls run one at a time; {@link #close()} may come from any thread. */
  public final class Tail implements AutoCloseable {
    private final TailRequest request;
    private final TailSink sink;
    private final AtomicInteger tenantCount;
    private final TailCursor cursor;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ScheduledFuture<?> future;
    private boolean started;
    private int failures;

    private Tail(TailRequest request, TailSink sink, AtomicInteger tenantCount) {
      this.request = request;
      this.sink = sink;
      this.tenantCount = tenantCount;
      this.cursor = new TailCursor(request.startNanos(), WINDOW_NANOS);
    }

    /** Stops polling (the client went away); the connection is the caller's to close. */
    @Override
    public void close() {
      release();
    }

    private void poll() {
      if (stopped.get()) {
        return;
      }
      try {
        long end = nowNanos() - request.delayForNanos() + 1;
        List<ResultStream> fresh;
        if (!started) {
          StreamsResult history = queries.tailQuery(request.tenants(), request.query(), cursor.from(), end,
              request.limit(), Direction.BACKWARD);
          fresh = cursor.acceptHistory(history.streams(), entries(history) >= request.limit());
          started = true;
        } else if (cursor.from() < end) {
          StreamsResult r = queries.tailQuery(request.tenants(), request.query(), cursor.from(), end, pollLimit,
              Direction.FORWARD);
          fresh = cursor.accept(r.streams(), entries(r) >= pollLimit);
        } else {
          fresh = List.of();
        }
        failures = 0;
        for (List<ResultStream> message : batches(fresh, MAX_ENTRIES_PER_MESSAGE)) {
          if (stopped.get()) {
            break;
          }
          sink.send(new String(LokiJson.tailResponse(message), StandardCharsets.UTF_8));
        }
      } catch (RuntimeException e) {
        failures++;
        log.warn("tail poll failed ({} in a row) for {}", failures, request.query(), e);
        if (failures >= MAX_FAILURES) {
          stop(CLOSE_SERVER_ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
      }
    }

    private void stop(int code, String reason) {
      if (release()) {
        try {
          sink.close(code, reason);
        } catch (RuntimeException e) {
          log.debug("closing a tail's connection failed", e);
        }
      }
    }

    private boolean release() {
      if (!stopped.compareAndSet(false, true)) {
        return false;
      }
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
      open.remove(this);
      tenantCount.decrementAndGet();
      return true;
    }

    private static int entries(StreamsResult r) {
      int n = 0;
      for (ResultStream s : r.streams()) {
        n += s.entries().size();
      }
      return n;
    }
  }
}
