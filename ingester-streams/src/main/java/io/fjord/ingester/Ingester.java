package io.fjord.ingester;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.RouteModule;
import io.fjord.ingester.chunk.SealReason;
import io.fjord.ingester.flush.Backpressure;
import io.fjord.ingester.flush.FlushObserver;
import io.fjord.ingester.flush.Flusher;
import io.fjord.ingester.http.IngesterRoutes;
import io.fjord.ingester.membership.AnnouncementSchedule;
import io.fjord.ingester.membership.MembershipPublisher;
import io.fjord.ingester.partition.PartitionRegistry;
import io.fjord.ingester.partition.PartitionState;
import io.fjord.ingester.query.IngesterQueries;
import io.fjord.ingester.readiness.ReadinessTracker;
import io.fjord.ingester.replay.CheckpointStore;
import io.fjord.ingester.replay.CheckpointWriter;
import io.fjord.ingester.replay.KafkaReplaySource;
import io.fjord.ingester.stream.DeadLetterHandlers;
import io.fjord.ingester.metrics.IngesterMeters;
import io.fjord.ingester.stream.IngestStats;
import io.fjord.ingester.stream.IngesterTopology;
import io.fjord.ingester.stream.StreamLimit;
import io.fjord.ingester.stream.TopologySettings;
import io.fjord.schemas.ingester.IngesterMember;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingester role: a Kafka Streams application over the logs topic that holds each owned
 * partition's memory chunks and inverted index, serves them to queriers over HTTP
 * ({@link #routes()}), and announces itself on the membership topic. Wiring only: the pieces live in
 * {@code chunk}, {@code index}, {@code stream}, {@code query}, {@code http}, {@code membership} and
 * {@code readiness}.
 *
 * <p>Kafka is the write-ahead log: when a partition's task starts (at start-up, or when a
 * rebalance hands this instance a partition) it replays the partition from its durable replay
 * checkpoint ({@link CheckpointStore}: the oldest unflushed offset, skipping what is flushed) up to
 * the group's committed offset, which is where it resumes, and so rebuilds the unflushed memory
 * chunks and index the previous owner had. After a clean close (every chunk flushed and
 * checkpointed) that is nothing; after a crash, exactly the unflushed entries: the store and
 * memory together hold every entry once.
 *
 * <p>Limits: {@code max_global_streams_per_user} is enforced here, per partition
 * ({@link StreamLimit}): entries of a new stream past a tenant's share go to the dead-letter topic.
 * The distributor cannot know this limit (Kafka decouples it from the ingesters), so their push
 * was already acknowledged; as in Loki, the limit protects ingester memory.
 *
 * <p>Flush: sealed chunks are flushed to the object store and the chunk index
 * ({@link IngesterStorage}) by a bounded pool ({@link Flusher}); each partition writes a replay
 * checkpoint after flushes ({@link CheckpointStore}), which is where its next replay starts.
 * Backpressure: while the sealed chunks waiting for the flush exceed {@code max_unflushed_bytes}
 * (the store is down or slow), consumption is paused ({@link KafkaStreams#pause()}); queries and
 * readiness are unaffected; it resumes below 3/4 of the limit ({@link Backpressure}).
 *
 * <p>Lifecycle: construct, mount {@link #routes()} on the HTTP server, {@link #start} once the
 * server is bound, {@link #close} on shutdown (stops running replays, commits and leaves the
 * consumer group so partitions move at once, publishes the membership tombstone, closes the
 * stores). Start and close from one thread; {@link #ready()} and the routes are thread-safe.
 */
public final class Ingester implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Ingester.class);
  private static final long TICK_MILLIS = 250;

  private final IngesterConfig config;
  private final LimitsConfig limits;
  private final String bootstrapServers;
  private final String logsTopic;
  private final String membershipTopic;
  private final Path stateDir;
  private final Clock clock;
  private final PartitionRegistry registry = new PartitionRegistry();
  private final IngestStats stats = new IngestStats();
  private final IngesterRoutes routes;
  private final String deadLetterTopic;
  private final IngesterStorage storage;
  private final CheckpointStore checkpointStore;
  private final CheckpointWriter checkpoints;
  private final Flusher flusher;
  private final Backpressure backpressure;
  private volatile boolean paused;
  private KafkaReplaySource replay;
  private KafkaStreams streams;
  private MembershipPublisher membership;
  private ReadinessTracker readiness;
  /** The partition states queries may read (see {@link #servable(List)}). */
  private volatile Map<Integer, PartitionState> servable = Map.of();
  private volatile ScheduledExecutorService scheduler;
  private AnnouncementSchedule announcements;
  private String endpoint;
  private volatile boolean closed;
  private volatile IngesterMeters meters;

  /**
   * @param storage the object store and chunk index the ingester flushes to; the caller closes them
   *     after this ingester
   */
  public Ingester(IngesterConfig config, LimitsConfig limits, String bootstrapServers, String logsTopic,
      String membershipTopic, String deadLetterTopic, Path stateDir, IngesterStorage storage, Clock clock) {
    this.config = config;
    this.storage = storage;
    this.limits = limits;
    this.bootstrapServers = bootstrapServers;
    this.logsTopic = logsTopic;
    this.membershipTopic = membershipTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.stateDir = stateDir;
    this.clock = clock;
    // queries read a partition only once it is caught up (FORMATS.md, "Partitions covered")
    this.routes = new IngesterRoutes(
        new IngesterQueries(registry, limits, s -> s.replayed() && servable.get(s.partition()) == s));
    // a task's start waits this long at most for a store that does not answer, well within the
    // consumer's max.poll.interval.ms (5 min)
    this.checkpointStore = new CheckpointStore(storage.store(), config.applicationId(), logsTopic,
        Duration.ofMinutes(2));
    this.checkpoints = new CheckpointWriter(checkpointStore);
    this.flusher = new Flusher(storage.store(), storage.index(), config.codec(), config.chunkZstdLevel(),
        (int) config.chunkBlockSize().bytes(), config.concurrentFlushes(), config.flushOpBackoff(), config.flushOpTimeout(), clock, new MeteredFlush());
    this.backpressure = new Backpressure(config.maxUnflushedBytes().bytes());
    long limit = config.maxUnflushedBytes().bytes();
    flusher.onBacklog(backlog -> {
      ScheduledExecutorService s = scheduler;
      if (backlog > limit && !paused && s != null) {
        try {
          s.execute(this::applyBackpressure); // at once, not at the next tick
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          // shutting down
        }
      }
    });
  }

  /** Passes flush events to the meters once they are bound. */
  private final class MeteredFlush implements FlushObserver {
    @Override
    public void flushed(SealReason reason, long bytes, int entries) {
      IngesterMeters m = meters;
      if (m != null) {
        m.flushed(reason, bytes, entries);
      }
    }

    @Override
    public void failed() {
      IngesterMeters m = meters;
      if (m != null) {
        m.failed();
      }
    }
  }

  /** Registers the ingester's meters ({@link IngesterMeters}) in {@code registry}; call before {@link #start}. */
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    this.meters = new IngesterMeters(registry, this.registry, stats, new IngesterMeters.FlushGauges(
        flusher::queueLength, flusher::unflushedBytes, () -> paused, checkpoints::written, checkpoints::failed));
  }

  /** The querier-facing routes; mount them before the HTTP server starts. */
  public RouteModule routes() {
    return routes;
  }

  /**
   * Joins the consumer group and starts consuming; announces this instance with
   * {@code advertisedEndpoint} (e.g. {@code http://10.0.0.7:3100}) as the address queriers call.
   */
  public synchronized void start(String advertisedEndpoint) {
    if (streams != null) {
      throw new IllegalStateException("ingester already started");
    }
    this.endpoint = advertisedEndpoint;
    membership = new MembershipPublisher(bootstrapServers, membershipTopic, config.instanceId());
    readiness = new ReadinessTracker(bootstrapServers, logsTopic, config.applicationId());
    announcements = new AnnouncementSchedule(config.instanceId(), config.heartbeatPeriod().toMillis());
    replay = new KafkaReplaySource(bootstrapServers, logsTopic, config.applicationId(), checkpointStore,
        "fjord-ingester-" + config.groupInstanceId());
    StreamLimit streamLimit = new StreamLimit(limits.maxGlobalStreamsPerUser(), replay::partitionCount);
    TopologySettings settings = new TopologySettings(logsTopic, deadLetterTopic, config.chunkSettings(),
        config.flushCheckPeriod(), streamLimit, config.chunkRetainPeriod(), config.replayCheckpointInterval(),
        config.shutdownTimeout().dividedBy(3));
    Topology topology = IngesterTopology.build(settings, registry, stats, replay, flusher, checkpoints);
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fjord-ingester-membership");
      t.setDaemon(true);
      return t;
    });
    streams = new KafkaStreams(topology, streamsProperties(advertisedEndpoint));
    streams.setUncaughtExceptionHandler(e -> {
      log.error("ingester stream thread failed; replacing it", e);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.setStateListener((now, before) -> {
      log.info("ingester {}: Kafka Streams {} -> {}", config.instanceId(), before, now);
      try {
        scheduler.execute(this::tick);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        // shutting down: no more announcements
      }
    });
    streams.start();
    scheduler.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    log.info("ingester {} started: application {}, topic {}, state in {}", config.instanceId(),
        config.applicationId(), logsTopic, stateDir);
  }

  Properties streamsProperties(String advertisedEndpoint) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("streams").toAbsolutePath().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.CLIENT_ID_CONFIG, "fjord-ingester-" + config.groupInstanceId());
    // static membership: a restart after kill -9 gets its partitions back without a rebalance
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupInstanceId());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        (int) config.sessionTimeout().toMillis());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // fetch the logs topic in batches of pushes rather than after every push: fewer fetch requests
    // (the broker's and the consumer's per-request work) for at most 20 ms of visibility
    // (bench/RESULTS.md, "Ingest": 3-12% less CPU per line)
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 128 * 1024);
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 20);
    // no second CRC pass over every fetched batch: the broker checked each batch's CRC when it was
    // produced, and every logs-topic value carries its own CRC32C, which the ingester checks
    // (schemas/FORMATS.md), so corruption between broker and ingester is still refused
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.CHECK_CRCS_CONFIG), false);
    // a dead letter copies a whole logs record, which may exceed the producer's 1 MiB default
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 16 * 1024 * 1024);
    String server = hostPort(advertisedEndpoint);
    if (server != null) {
      p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server);
    }
    DeadLetterHandlers.configure(p, deadLetterTopic, stats);
    return p;
  }

  /** Computes and, when due, publishes this instance's announcement. Scheduler thread. */
  private void tick() {
    try {
      if (closed) {
        return;
      }
      List<Integer> partitions = ownedPartitions();
      if (streams.state() == KafkaStreams.State.RUNNING) {
        readiness.refresh(Set.copyOf(partitions));
        servable = servable(partitions);
      }
      applyBackpressure();
      IngesterMember m = announcements.next(endpoint, partitions, ready(partitions), clock.millis());
      if (m != null) {
        membership.publish(m);
      }
      IngesterMeters im = meters;
      if (im != null) {
        im.discoverTenants();
        im.partitionLag(streams.metrics(), logsTopic);
      }
    } catch (RuntimeException e) {
      log.warn("ingester {}: announcement failed (will retry): {}", config.instanceId(), e.toString());
    }
  }

  /**
   * The partition states that queries may read: replayed and caught up each on its own (then they
   * stay so for as long as the same state is registered). Keyed to the state object, so a partition
   * that left and came back is not served before its new state is found caught up. Kept while Kafka
   * Streams rebalances (a revoked partition's state is closed and no longer read). Scheduler thread.
   */
  private Map<Integer, PartitionState> servable(List<Integer> owned) {
    Map<Integer, PartitionState> before = servable;
    Set<Integer> caughtUp = readiness.caughtUpPartitions(Set.copyOf(owned), p -> {
      PartitionState state = registry.get(p);
      return state == null ? -1 : state.lastOffset();
    });
    Map<Integer, PartitionState> out = new HashMap<>();
    for (int p : owned) {
      PartitionState state = registry.get(p);
      if (state != null && state.replayed() && (before.get(p) == state || caughtUp.contains(p))) {
        out.put(p, state);
      }
    }
    return Map.copyOf(out);
  }

  /** Pauses or resumes consumption by the flush backlog. Scheduler thread. */
  private void applyBackpressure() {
    if (closed || streams == null) {
      return;
    }
    long unflushed = flusher.unflushedBytes();
    Backpressure.Change change = backpressure.update(unflushed);
    if (change == Backpressure.Change.PAUSE) {
      streams.pause();
      paused = true;
      log.warn("ingester {}: {} bytes of sealed chunks wait for the flush (max_unflushed_bytes {}): consumption"
          + " paused until the store catches up", config.instanceId(), unflushed, config.maxUnflushedBytes());
    } else if (change == Backpressure.Change.RESUME) {
      streams.resume();
      paused = false;
      log.info("ingester {}: flush backlog down to {} bytes: consumption resumed", config.instanceId(), unflushed);
    }
  }

  /** Whether consumption is paused by backpressure. */
  public boolean paused() {
    return paused;
  }

  /** Compressed bytes of sealed chunks waiting for the flush. */
  public long unflushedBytes() {
    return flusher.unflushedBytes();
  }

  /** The logs-topic partitions of this instance's active tasks, sorted. */
  private List<Integer> ownedPartitions() {
    TreeSet<Integer> out = new TreeSet<>();
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return List.of();
    }
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        for (TopicPartition tp : task.topicPartitions()) {
          if (tp.topic().equals(logsTopic)) {
            out.add(tp.partition());
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * True when Kafka Streams is running and every owned partition has been replayed and then
   * consumed up to the end offset it had when it was assigned. Queries are answered before that,
   * from what is replayed and consumed so far.
   */
  public boolean ready() {
    KafkaStreams s = streams;
    if (closed || s == null || s.state() != KafkaStreams.State.RUNNING) {
      return false;
    }
    return ready(ownedPartitions());
  }

  private boolean ready(List<Integer> partitions) {
    if (closed || streams.state() != KafkaStreams.State.RUNNING) {
      return false;
    }
    for (int p : partitions) {
      PartitionState state = registry.get(p);
      if (state == null || !state.replayed()) {
        return false;
      }
    }
    boolean caughtUp = readiness.caughtUp(Set.copyOf(partitions), p -> {
      PartitionState state = registry.get(p);
      return state == null ? -1 : state.lastOffset();
    });
    if (caughtUp) {
      // ready means every owned partition is served: queries see at once what /ready promised
      servable = servable(partitions);
    }
    return caughtUp;
  }

  /** Counters of the ingest path (records, entries, duplicates, dead letters). */
  public IngestStats stats() {
    return stats;
  }

  public String instanceId() {
    return config.instanceId();
  }

  /**
   * Stops running replays; each partition's task seals and flushes its chunks (waiting at most a
   * third of {@code shutdown_timeout}, and not again once a wait timed out while the store is down)
   * and writes its checkpoint; commits and leaves the group, stops the flush, publishes the
   * membership tombstone, closes the clients. The object store and index stay open (the caller's).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
      awaitQuietly(scheduler);
    }
    if (replay != null) {
      replay.abort(); // a task replaying in its init would hold up the close
    }
    if (streams != null) {
      boolean done = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
          .withTimeout(config.shutdownTimeout()));
      if (!done) {
        log.warn("ingester {}: Kafka Streams did not close within {}", config.instanceId(), config.shutdownTimeout());
      }
    }
    flusher.close();
    checkpoints.close();
    if (membership != null) {
      membership.leave();
      membership.close();
    }
    if (readiness != null) {
      readiness.close();
    }
    if (replay != null) {
      replay.close();
    }
    log.info("ingester {} closed", config.instanceId());
  }

  private static void awaitQuietly(ScheduledExecutorService s) {
    try {
      s.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String hostPort(String endpoint) {
    try {
      URI uri = URI.create(endpoint);
      return uri.getHost() != null && uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : null;
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }
}
