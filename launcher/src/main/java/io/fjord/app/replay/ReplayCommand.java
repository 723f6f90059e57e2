package io.fjord.app.replay;

import io.fjord.app.tool.ToolFlags;
import io.fjord.app.tool.ToolUsageException;
import io.fjord.app.config.ConfigException;
import io.fjord.app.config.ConfigLoader;
import io.fjord.app.config.FjordConfig;
import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStoreException;
import io.fjord.store.ObjectStores;
import io.fjord.store.index.ObjectStoreChunkIndex;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code fjord replay --from T|OFFSET [--to ...] [--tenant T]}: re-ingests a range of the logs topic into
 * the chunk store and index that {@code fjord} is configured with, e.g. after the object store was
 * lost. Idempotent: chunks are cut deterministically and only what is missing is written, so running
 * it twice stores nothing twice. Wiring and reporting only: the run is {@link ReplayJob}. Progress
 * lines go to stderr, the summary to stdout. {@link #run} returns the exit code: 0 done, 1 Kafka or the
 * store failed (a rerun is safe), 2 bad usage, 130 stopped by {@link #close()} (Ctrl-C; a rerun is
 * safe). One run per instance; {@link #close()} may be called from any thread.
 */
public final class ReplayCommand implements AutoCloseable {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE_ERROR = 2;
  static final int STOPPED = 130;
  public static final String USAGE = """
      usage: fjord replay --from TIME|OFFSET|P:OFFSET,... [--to TIME|OFFSET|P:OFFSET,...] [--tenant T]
                          [--bootstrap-servers HOST:PORT] [--logs-topic logs]
                          [-config.file=PATH] [-SECTION.KEY=VALUE ...]

        --from                where to start in every partition: an RFC3339 time (the first record
                              written at or after it), an offset (0: the oldest record kept), or
                              PARTITION:OFFSET pairs (only those partitions are replayed)
        --to                  where to stop, exclusive, in the same forms (default: the end of every
                              partition when the replay starts)
        --tenant              replay only this tenant's streams (default: every tenant)
        --bootstrap-servers   the Kafka cluster (default: kafka.bootstrap_servers, else 127.0.0.1:9092,
                              the broker of fjord all)
        --logs-topic          Fjord's logs topic (default: kafka.topic, logs)
        -config.file, -SECTION.KEY=VALUE   as for fjord: storage, chunk_index, ingester.chunk_encoding,
                              chunk_block_size and chunk_target_size are those of the ingesters

      Writes chunks and index entries only where missing: run it twice and nothing is stored twice.
      """;

  /** Knobs the tests turn; {@link #DEFAULTS} otherwise. */
  record Tuning(Duration progressInterval, long maxBufferedBytes, Duration stallTimeout) {}

  static final Tuning DEFAULTS = new Tuning(Duration.ofSeconds(5), 128L << 20, Duration.ofMinutes(2));

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final Tuning tuning;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile ReplayJob job;
  private volatile boolean closed;
  private volatile boolean running;

  public ReplayCommand(PrintStream out, PrintStream err, Clock clock) {
    this(out, err, clock, DEFAULTS);
  }

  ReplayCommand(PrintStream out, PrintStream err, Clock clock, Tuning tuning) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.tuning = tuning;
  }

  /** The entry point of {@code fjord replay}: runs with the console's streams; Ctrl-C stops cleanly. */
  public static int main(List<String> args) {
    ReplayCommand command = new ReplayCommand(System.out, System.err, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(command::close, "fjord-replay-stop"));
    return command.run(args);
  }

  /** Runs the command with the arguments after {@code replay}; returns the exit code. */
  public int run(List<String> args) {
    running = true;
    try {
      return runOnce(args);
    } finally {
      out.flush();
      err.flush();
      ended.countDown();
    }
  }

  private int runOnce(List<String> args) {
    if (args.contains("-h") || args.contains("--help") || args.contains("-help")) {
      out.print(USAGE);
      return OK;
    }
    ReplayOptions options;
    FjordConfig config;
    try {
      options = ReplayOptions.parse(args);
      config = ConfigLoader.withSystemEnv().load(options.configFile(), options.overrides());
    } catch (ToolUsageException | ConfigException e) {
      err.println("fjord replay: " + e.getMessage());
      err.print(USAGE);
      return USAGE_ERROR;
    } catch (IllegalArgumentException e) {
      err.println("fjord replay: invalid configuration: " + e.getMessage());
      return USAGE_ERROR;
    }
    String bootstrap = ToolFlags.bootstrap(options.bootstrapServers(), config);
    String topic = options.logsTopic() != null ? options.logsTopic() : config.kafka().topic();
    return replay(options, config, bootstrap, topic);
  }

  private int replay(ReplayOptions options, FjordConfig config, String bootstrap, String topic) {
    ReplayTally tally = new ReplayTally();
    long target = config.ingester().chunkTargetSize().bytes();
    int blockSize = (int) config.ingester().chunkBlockSize().bytes();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(bootstrap));
        ObjectStore store = ObjectStores.open(config.storage(), config.common().dataDir().toAbsolutePath());
        ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, config.chunkIndex(), clock)) {
      List<ReplayJob.PartitionRange> ranges;
      try {
        ranges = ReplayJob.ranges(consumer, topic, options.from(), options.to());
      } catch (MissingLogsTopicException e) {
        err.println("fjord replay: " + e.getMessage() + " on " + bootstrap);
        return FAILED;
      } catch (ToolUsageException e) {
        err.println("fjord replay: " + e.getMessage() + " on " + bootstrap);
        return USAGE_ERROR;
      }
      ChunkStorer storer = new ChunkStorer(store, index, config.ingester().codec(),
          config.ingester().chunkZstdLevel(), blockSize, config.chunkIndex().periodNanos());
      ReplayJob j = new ReplayJob(consumer, topic, options.tenant(),
          sink -> new ChunkCutter(target, tuning.maxBufferedBytes(), sink), storer, tally, err, clock,
          tuning.progressInterval(), tuning.stallTimeout());
      job = j;
      if (closed) {
        err.println("fjord replay: stopped before it began; nothing was replayed");
        return STOPPED;
      }
      long total = ranges.stream().mapToLong(ReplayJob.PartitionRange::size).sum();
      err.printf(Locale.ROOT, "fjord replay: %d records of %s on %s (%s) into the %s store, %s%n", total, topic,
          bootstrap, describe(ranges), config.storage().backend().name().toLowerCase(Locale.ROOT),
          options.tenant() == null ? "every tenant" : "tenant " + options.tenant());
      ReplayJob.Outcome outcome = j.run(ranges);
      summary(topic, tally, outcome);
      return outcome == ReplayJob.Outcome.DONE ? OK : STOPPED;
    } catch (IllegalArgumentException e) {
      // an entry the chunk format cannot hold, or a chunk spanning more index periods than the index takes
      err.println("fjord replay: cannot store a replayed chunk: " + e.getMessage());
      return FAILED;
    } catch (KafkaException | ObjectStoreException e) {
      err.println("fjord replay: " + e.getMessage());
      err.printf(Locale.ROOT, "fjord replay: stopped after %d records and %d chunks written; running the same command "
          + "again is safe (it writes only what is missing)%n", tally.records, tally.chunksWritten);
      return FAILED;
    }
  }

  private static String describe(List<ReplayJob.PartitionRange> ranges) {
    StringBuilder sb = new StringBuilder();
    for (ReplayJob.PartitionRange r : ranges) {
      sb.append(sb.isEmpty() ? "" : ", ").append(r.partition()).append(':').append(r.from()).append('-')
          .append(r.to());
    }
    return sb.isEmpty() ? "no partitions" : "partition:offsets " + sb;
  }

  private void summary(String topic, ReplayTally t, ReplayJob.Outcome outcome) {
    out.printf(Locale.ROOT, "replay of %s %s: %d records read, %d entries replayed, %d chunks written (%d bytes), "
        + "%d chunks already stored, %d duplicate entries dropped, %d records refused%n", topic,
        outcome == ReplayJob.Outcome.DONE ? "done" : "interrupted", t.records, t.entries, t.chunksWritten,
        t.bytesWritten, t.chunksAlreadyStored, t.duplicates, t.refusedRecords());
    if (t.otherTenants > 0) {
      out.printf(Locale.ROOT, "  %d records of other tenants skipped%n", t.otherTenants);
    }
    for (ReplayTally.Reason r : t.reasons()) {
      out.printf(Locale.ROOT, "  refused %-24s %d  (first: %s)%n", r.name(), r.records(), r.example());
    }
    if (outcome != ReplayJob.Outcome.DONE) {
      out.println("  run the same command again to finish: what is already stored is not written again");
    }
  }

  static Properties consumerSettings(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fjord-replay");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /** Asks a running replay to stop after the batch in hand; returns at once. */
  void stop() {
    closed = true;
    ReplayJob j = job;
    if (j != null) {
      j.stop();
    }
  }

  /** Stops a running replay after the batch in hand, waiting (boundedly) for that. */
  @Override
  public void close() {
    stop();
    if (!running) {
      return;
    }
    try {
      ended.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
