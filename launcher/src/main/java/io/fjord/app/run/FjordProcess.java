package io.fjord.app.run;

import io.fjord.app.config.FjordConfig;
import io.fjord.app.config.RetentionLimits;
import io.fjord.app.ops.LogLevels;
import io.fjord.app.ops.OperatorRoutes;
import io.fjord.common.http.HttpServer;
import io.fjord.common.http.RouteModule;
import io.fjord.common.metrics.FjordMetrics;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.distributor.Distributor;
import io.fjord.ingester.Ingester;
import io.fjord.ingester.IngesterStorage;
import io.fjord.kafka.embedded.EmbeddedKafka;
import io.fjord.querier.Querier;
import io.fjord.querier.QuerierMeters;
import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStores;
import io.fjord.store.index.ChunkIndex;
import io.fjord.store.index.CompactorService;
import io.fjord.store.index.IndexCompactor;
import io.fjord.store.index.RetentionPolicy;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.micrometer.core.instrument.FunctionCounter;
import io.fjord.ui.UiRoutes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Fjord process: the roles its {@link Target} names, wired by hand, sharing one HTTP
 * server, which also serves {@code /metrics} (one {@link FjordMetrics} registry every role registers
 * its meters in), {@code /config} and {@code /log_level} ({@link OperatorRoutes}). {@code all} first
 * starts the embedded broker (unless {@code kafka.bootstrap_servers}
 * points elsewhere). Every role but the distributor shares ONE object store ({@code storage}) and ONE
 * chunk index on it ({@code chunk_index}): the ingester flushes into them, the querier reads them,
 * the compactor ({@code all} and {@code compactor}) compacts the index and applies retention.
 * Resources are closed in the reverse order of their start (the store last of the roles' resources); the HTTP server
 * stops first so no request reaches a closing role. Start and close from one thread.
 */
public final class FjordProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FjordProcess.class);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final List<java.util.function.BooleanSupplier> readiness = new ArrayList<>();
  private EmbeddedKafka kafka;
  private HttpServer http;
  private FjordMetrics metrics;
  private String bootstrapServers;

  private FjordProcess() {}

  public static FjordProcess start(FjordConfig config, Target target, Clock clock) {
    FjordProcess p = new FjordProcess();
    try {
      p.startRoles(config, target, clock);
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  private void startRoles(FjordConfig config, Target target, Clock clock) {
    long t0 = System.nanoTime();
    // read before anything starts, so that a wrong overrides file fails start-up at once
    RetentionPolicy retention = target.runs(Target.COMPACTOR) ? RetentionLimits.load(config) : null;
    metrics = new FjordMetrics();
    started.push(metrics);
    Path dataDir = config.common().dataDir().toAbsolutePath();
    bootstrapServers = config.kafka().bootstrapServers();
    if (target.usesKafka() && bootstrapServers.isBlank()) {
      if (target != Target.ALL) {
        throw new IllegalArgumentException("kafka.bootstrap_servers is required for the " + target.name().toLowerCase()
            + " target (only 'all' starts an embedded broker)");
      }
      kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), config.kafka().embeddedBrokerPort(),
          config.kafka().embeddedControllerPort());
      started.push(kafka);
      bootstrapServers = kafka.bootstrapServers();
    }
    if (target.usesKafka()) {
      Topics.ensure(bootstrapServers, config.kafka());
    }
    ObjectStore store = null;
    ChunkIndex index = null;
    if (target.usesStore()) {
      store = ObjectStores.open(config.storage(), dataDir);
      started.push(store);
      index = ObjectStoreChunkIndex.open(store, config.chunkIndex(), clock);
      started.push(index);
    }

    TenantResolver tenants = new TenantResolver(config.authEnabled(), config.querier().multiTenantQueriesEnabled());
    List<RouteModule> modules = new ArrayList<>();
    Ingester ingester = null;
    Querier querier = null;
    if (target.runs(Target.DISTRIBUTOR)) {
      Distributor distributor = new Distributor(config.distributor(), config.limits(), tenants, bootstrapServers,
          config.kafka().topic(), clock, metrics.registry());
      started.push(distributor);
      modules.add(distributor.routes());
    }
    if (target.runs(Target.INGESTER)) {
      ingester = new Ingester(config.ingester(), config.limits(), bootstrapServers, config.kafka().topic(),
          config.kafka().membershipTopic(), config.kafka().deadLetterTopic(), dataDir.resolve("ingester"),
          new IngesterStorage(store, index), clock);
      started.push(ingester);
      ingester.bindMetrics(metrics.registry());
      modules.add(ingester.routes());
      readiness.add(ingester::ready);
    }
    if (target.runs(Target.QUERIER)) {
      querier = new Querier(config.querier(), config.limits(), tenants, bootstrapServers,
          config.kafka().membershipTopic(), config.kafka().topic(), store, index, clock);
      started.push(querier);
      QuerierMeters.bind(metrics.registry(), querier);
      modules.add(querier.routes());
      modules.add(new UiRoutes());
      readiness.add(querier::ready);
    }
    modules.add(new OperatorRoutes(config, new LogLevels()));
    http = new HttpServer(config.server().httpListenAddress(), config.server().httpListenPort(),
        config.server().maxRequestBodySize().bytes(), modules, this::ready, metrics);
    http.start();
    started.push(http);
    String endpoint = "http://" + config.server().advertisedHost() + ":" + http.port();
    if (ingester != null) {
      ingester.start(endpoint);
    }
    if (querier != null) {
      querier.start();
    }
    if (target.runs(Target.COMPACTOR)) {
      CompactorService compactor =
          CompactorService.start(new IndexCompactor(store, config.chunkIndex(), config.compactor(), retention, clock));
      started.push(compactor);
      bindCompactorMeters(compactor);
    }
    log.info("fjord {} serving on {}:{} (Kafka {}, store {}), started in {} ms", target.name().toLowerCase(),
        config.server().httpListenAddress(), http.port(), target.usesKafka() ? bootstrapServers : "not used",
        store != null ? store : "not used", (System.nanoTime() - t0) / 1_000_000);
  }

  private void bindCompactorMeters(CompactorService compactor) {
    FunctionCounter.builder("fjord.compactor.runs", compactor, CompactorService::runs)
        .description("Compactor runs (index compaction and retention) finished, successful or not.")
        .register(metrics.registry());
    FunctionCounter.builder("fjord.compactor.failed.runs", compactor, CompactorService::failedRuns)
        .description("Compactor runs that failed (logged; the next run starts over).")
        .register(metrics.registry());
    FunctionCounter.builder("fjord.compactor.recompressed.chunks", compactor, c -> c.recompressionStats().chunks())
        .description("Chunks the compactor rewrote at compactor.recompress_zstd_level and swapped into the index.")
        .register(metrics.registry());
    FunctionCounter.builder("fjord.compactor.recompressed.bytes.before", compactor,
            c -> c.recompressionStats().bytesBefore())
        .description("Stored bytes of the recompressed chunks before recompression.").register(metrics.registry());
    FunctionCounter.builder("fjord.compactor.recompressed.bytes.after", compactor,
            c -> c.recompressionStats().bytesAfter())
        .description("Stored bytes of the same chunks after recompression.").register(metrics.registry());
    FunctionCounter.builder("fjord.compactor.recompress.failures", compactor, c -> c.recompressionStats().failures())
        .description("Chunks left as they were because they could not be recompressed safely (missing, unreadable, "
            + "or a copy whose entries differed).").register(metrics.registry());
  }

  /** Whether every role is ready (the embedded broker is up by construction). */
  public boolean ready() {
    for (java.util.function.BooleanSupplier r : readiness) {
      if (!r.getAsBoolean()) {
        return false;
      }
    }
    return true;
  }

  public int httpPort() {
    return http.port();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error while closing {}", c.getClass().getSimpleName(), e);
      }
    }
  }
}
