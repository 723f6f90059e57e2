package io.fjord.querier;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.RouteModule;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.querier.discovery.IngesterRegistry;
import io.fjord.querier.discovery.MembershipWatcher;
import io.fjord.querier.engine.MetricEngine;
import io.fjord.querier.engine.QueryService;
import io.fjord.querier.engine.RequestLimits;
import io.fjord.querier.engine.metric.LokiMetricEngine;
import io.fjord.querier.http.QuerierRoutes;
import io.fjord.querier.http.TailRoutes;
import io.fjord.querier.source.LogSource;
import io.fjord.querier.source.RecentOnlySource;
import io.fjord.querier.source.StoreThenIngestersSource;
import io.fjord.querier.source.ingester.IngesterSource;
import io.fjord.querier.source.store.StoreSource;
import io.fjord.querier.tail.TailService;
import io.fjord.store.ObjectStore;
import io.fjord.store.index.ChunkIndex;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The querier role, wired by hand: discovery of the ingesters from the membership topic, the
 * flushed chunks (chunk index and object store) and the ingesters (asked in parallel over one shared
 * HTTP client) as one log source ({@link StoreThenIngestersSource}), the query service, and
 * Loki's query API (live tails included) as a {@link RouteModule} to mount on an HTTP server.
 * Lifecycle: construct (no I/O), {@link #start()} (starts discovery), {@link #close()} (closes the
 * live tails, stops discovery, then the HTTP client's threads; reverse order of start). Thread-safe after construction.
 */
public final class Querier implements AutoCloseable {
  /** How often a live tail asks for new entries (they reach the client within about this). */
  static final Duration TAIL_POLL_INTERVAL = Duration.ofMillis(250);
  private final IngesterRegistry registry;
  private final MembershipWatcher watcher;
  private final ExecutorService httpThreads;
  private final TailService tails;
  private final RouteModule routes;
  private final StoreSource store;

  /**
   * @param config the {@code querier} section
   * @param limits the {@code limits_config} section ({@code query_timeout}, {@code max_query_length},
   *     {@code max_entries_limit_per_query}, {@code max_query_series} apply here)
   * @param tenants reads {@code X-Scope-OrgID}
   * @param bootstrapServers the Kafka cluster holding the membership topic
   * @param membershipTopic the compacted topic ingesters announce themselves on
   * @param clock wall-clock time (announcement expiry, default query ranges, statistics)
   */
  public Querier(QuerierConfig config, LimitsConfig limits, TenantResolver tenants, String bootstrapServers,
      String membershipTopic, Clock clock) {
    this(config, limits, tenants, bootstrapServers, membershipTopic, null, null, clock);
  }

  /**
   * A querier over the flushed chunks as well as the ingesters.
   *
   * @param store the object store holding the chunks, or null (with {@code index}) for a querier that
   *     asks the ingesters only; not closed by the querier
   * @param index the chunk index in {@code store}; not closed by the querier
   */
  public Querier(QuerierConfig config, LimitsConfig limits, TenantResolver tenants, String bootstrapServers,
      String membershipTopic, ObjectStore store, ChunkIndex index, Clock clock) {
    this(config, limits, tenants, bootstrapServers, membershipTopic, null, store, index, clock);
  }

  /**
   * A querier that knows the logs topic: it reads the topic's partition count from Kafka and makes
   * sure the ingesters' answers cover every partition (waiting up to {@code querier.partition_wait}
   * while a partition moves), tolerating ingesters that fail when the others cover them.
   *
   * @param logsTopic the logs topic, or null: coverage is not judged and every live ingester must answer
   */
  public Querier(QuerierConfig config, LimitsConfig limits, TenantResolver tenants, String bootstrapServers,
      String membershipTopic, String logsTopic, ObjectStore store, ChunkIndex index, Clock clock) {
    if ((store == null) != (index == null)) {
      throw new IllegalArgumentException("the querier needs both the object store and the chunk index, or neither");
    }
    if (limits.queryTimeout().isNegative() || limits.queryTimeout().isZero()) {
      throw new IllegalArgumentException("limits_config.query_timeout must be positive: " + limits.queryTimeout());
    }
    this.registry = new IngesterRegistry(config.ingesterExpiry(), clock);
    this.watcher = new MembershipWatcher(bootstrapServers, membershipTopic, logsTopic, registry);
    this.httpThreads = Executors.newCachedThreadPool(daemonThreads("fjord-querier-http-"));
    HttpClient http = HttpClient.newBuilder()
        .executor(httpThreads)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(min(limits.queryTimeout(), Duration.ofSeconds(10)))
        .build();
    LogSource ingesters = new IngesterSource(registry::live, registry::logsPartitions, http, limits.queryTimeout(),
        config.partitionWait());
    LogSource source;
    if (store != null) {
      this.store = new StoreSource(store, index);
      source = new StoreThenIngestersSource(this.store, ingesters, config.queryIngestersWithin(), clock,
          httpThreads);
    } else {
      this.store = null;
      source = new RecentOnlySource(ingesters, config.queryIngestersWithin(), clock);
    }
    MetricEngine metrics = new LokiMetricEngine(source, limits.maxQuerySeries(), clock);
    QueryService service = new QueryService(source, metrics, new RequestLimits(limits), clock);
    this.tails = new TailService(service, clock, TAIL_POLL_INTERVAL, TailService.DEFAULT_MAX_PER_TENANT,
        limits.maxEntriesLimitPerQuery() > 0 ? limits.maxEntriesLimitPerQuery() : 5000);
    QuerierRoutes query = new QuerierRoutes(service, tenants, config.multiTenantQueriesEnabled(), this::ready, clock);
    TailRoutes tail = new TailRoutes(service, tails, tenants, config.multiTenantQueriesEnabled(), this::ready, clock);
    this.routes = r -> {
      query.register(r);
      tail.register(r);
    };
  }

  /** Starts reading the membership topic in the background. */
  public void start() {
    watcher.start();
  }

  /** Whether discovery has read the membership topic up to its end once. */
  public boolean ready() {
    return watcher.caughtUp();
  }

  /** Loki's query API, to mount on an {@link io.fjord.common.http.HttpServer}. */
  public RouteModule routes() {
    return routes;
  }

  /** The ingesters currently considered live (for diagnostics and tests). */
  IngesterRegistry registry() {
    return registry;
  }

  /** Chunks the index listed but the store no longer held, skipped by queries since start (0 without a store). */
  long missingChunks() {
    return store == null ? 0 : store.missingChunks();
  }

  @Override
  public void close() {
    tails.close();
    watcher.close();
    httpThreads.shutdownNow();
    try {
      httpThreads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
