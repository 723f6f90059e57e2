package io.fjord.app.backfill;

import io.fjord.app.tool.ToolFlags;
import io.fjord.app.tool.ToolUsageException;
import io.fjord.app.config.ConfigException;
import io.fjord.app.config.ConfigLoader;
import io.fjord.app.config.FjordConfig;
import io.fjord.distributor.kafka.KafkaStreamWriter;
import io.fjord.distributor.limits.IngestionRateLimiter;
import io.fjord.distributor.push.PushException;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.ValidationLimits;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code fjord backfill --topic T --labels '{app="x"}' [flags]}: imports an existing Kafka topic of
 * application logs into Fjord's logs topic through the push API's validation and limits, so the
 * ingesters cannot tell a backfilled record from a pushed one. Wiring and reporting only: the run is
 * {@link BackfillJob}. Progress goes to stderr (a bar on a terminal, plain lines otherwise), the
 * summary to stdout. {@link #run} returns the exit code: 0 done, 1 Kafka failed or the topic is
 * missing (a rerun resumes), 2 bad usage, 130 stopped by {@link #close()} (Ctrl-C; a rerun resumes).
 * One run per instance; {@link #close()} may be called from any thread.
 */
public final class BackfillCommand implements AutoCloseable {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE_ERROR = 2;
  static final int STOPPED = 130;
  public static final String USAGE = """
      usage: fjord backfill --topic TOPIC --labels '{app="x"}' [--format raw|json|logfmt]
                            [--label-from FIELD | --label-from LABEL=FIELD ...] [--timestamp-from FIELD]
                            [--bootstrap-servers HOST:PORT] [--tenant T] [--logs-topic logs] [--group G]
                            [-config.file=PATH] [-SECTION.KEY=VALUE ...]

        --topic               the Kafka topic of application logs to import, one line per record
        --labels              the labels of every line, e.g. '{app="shop", env="prod"}'
        --format              raw (default): the value is the line; json or logfmt: the value is the
                              line and has fields for --label-from and --timestamp-from
        --label-from          adds the label FIELD (or LABEL) from the line's field; repeatable
        --timestamp-from      the field holding the time: RFC3339 or Unix s/ms/us/ns (default: the
                              Kafka record's timestamp)
        --bootstrap-servers   the Kafka cluster of both topics (default: kafka.bootstrap_servers, else
                              127.0.0.1:9092, the broker of fjord all)
        --tenant              the tenant to import into (default: fake)
        --logs-topic          Fjord's logs topic (default: kafka.topic, logs)
        --group               the consumer group keeping the job's place (default: fjord-backfill-TOPIC)
        -config.file, -SECTION.KEY=VALUE   as for fjord: limits_config is applied as by the push API

      Stops at the topic's end as seen at start; Ctrl-C stops after committing the batch in hand, and
      the same command run again resumes.
      """;
  /** The embedded broker's address in {@code fjord all} with the default config. */

  /** Knobs the tests turn; {@link #DEFAULTS} otherwise. */
  record Tuning(int maxBatchLines, long maxBatchBytes, Duration progressInterval,
      UnaryOperator<BackfillJob.Committer> committer) {}

  static final Tuning DEFAULTS = new Tuning(5_000, 1 << 20, Duration.ofSeconds(5), c -> c);

  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;
  private final Clock clock;
  private final Tuning tuning;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile BackfillJob job;
  private volatile boolean closed;
  private volatile boolean running;

  public BackfillCommand(PrintStream out, PrintStream err, boolean terminal, Clock clock) {
    this(out, err, terminal, clock, DEFAULTS);
  }

  BackfillCommand(PrintStream out, PrintStream err, boolean terminal, Clock clock, Tuning tuning) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.clock = clock;
    this.tuning = tuning;
  }

  /** The entry point of {@code fjord backfill}: runs with the console's streams; Ctrl-C stops cleanly. */
  public static int main(List<String> args) {
    BackfillCommand command = new BackfillCommand(System.out, System.err, System.console() != null, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(command::close, "fjord-backfill-stop"));
    return command.run(args);
  }

  /** Runs the command with the arguments after {@code backfill}; returns the exit code. */
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
    BackfillOptions options;
    FjordConfig config;
    try {
      options = BackfillOptions.parse(args);
      config = ConfigLoader.withSystemEnv().load(options.configFile(), options.overrides());
    } catch (ToolUsageException | ConfigException e) {
      err.println("fjord backfill: " + e.getMessage());
      err.print(USAGE);
      return USAGE_ERROR;
    } catch (IllegalArgumentException e) {
      err.println("fjord backfill: invalid configuration: " + e.getMessage());
      return USAGE_ERROR;
    }
    String bootstrap = ToolFlags.bootstrap(options.bootstrapServers(), config);
    String logsTopic = options.logsTopic() != null ? options.logsTopic() : config.kafka().topic();
    if (options.topic().equals(logsTopic)) {
      err.println("fjord backfill: --topic " + logsTopic + " is the logs topic itself");
      return USAGE_ERROR;
    }
    String tenant = options.tenant();
    if (tenant == null) {
      if (config.authEnabled()) {
        err.println("fjord backfill: --tenant is required when auth_enabled is true");
        return USAGE_ERROR;
      }
      tenant = io.fjord.common.tenant.TenantResolver.DEFAULT_TENANT;
    }
    return backfill(options, config, bootstrap, logsTopic, tenant);
  }

  private int backfill(BackfillOptions options, FjordConfig config, String bootstrap, String logsTopic, String tenant) {
    long maxRecordBytes = config.distributor().maxRecordSize().bytes();
    long burstBytes = (long) (config.limits().ingestionBurstSizeMb() * (1 << 20));
    Tally tally = new Tally();
    Progress progress = new Progress(err, terminal, clock, tuning.progressInterval());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(bootstrap, options.group()));
        KafkaStreamWriter sink = new KafkaStreamWriter(bootstrap, logsTopic, config.distributor().produceTimeout(),
            maxRecordBytes)) {
      if (consumer.partitionsFor(logsTopic).isEmpty()) {
        err.println("fjord backfill: the logs topic " + logsTopic + " does not exist on " + bootstrap
            + " (start fjord first, or name it with --logs-topic)");
        return FAILED;
      }
      BatchWriter writer = new BatchWriter(tenant,
          new PushValidator(ValidationLimits.from(config.limits(), maxRecordBytes), clock),
          IngestionRateLimiter.of(config.limits(), clock), burstBytes, sink, maxRecordBytes, BatchWriter.SLEEP);
      BackfillJob j = new BackfillJob(consumer, options.topic(), new LineReader(options.spec()), writer, progress, tally,
          tuning.committer().apply(consumer::commitSync), tuning.maxBatchLines(),
          Math.max(1, Math.min(tuning.maxBatchBytes(), burstBytes)));
      job = j;
      if (closed) {
        err.println("fjord backfill: stopped before it began; nothing was imported");
        return STOPPED;
      }
      err.printf(Locale.ROOT, "fjord backfill: topic %s into %s on %s as tenant %s (consumer group %s)%n",
          options.topic(), logsTopic, bootstrap, tenant, options.group());
      BackfillJob.Outcome outcome = j.run();
      summary(options, logsTopic, tally, j, outcome);
      return outcome == BackfillJob.Outcome.DONE ? OK : STOPPED;
    } catch (MissingTopicException e) {
      err.println("fjord backfill: " + e.getMessage() + " on " + bootstrap);
      return FAILED;
    } catch (PushException | KafkaException e) {
      err.println("fjord backfill: " + e.getMessage());
      err.println("fjord backfill: stopped after " + tally.accepted() + " accepted lines; run the same command again"
          + " to resume from the last committed offsets");
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return STOPPED;
    }
  }

  private void summary(BackfillOptions o, String logsTopic, Tally tally, BackfillJob j, BackfillJob.Outcome outcome) {
    if (outcome == BackfillJob.Outcome.DONE && j.total() == 0) {
      out.printf(Locale.ROOT, "nothing to backfill: topic %s is imported up to its end (consumer group %s)%n",
          o.topic(), o.group());
      return;
    }
    out.printf(Locale.ROOT, "backfill of %s into %s %s: %d records read, %d lines accepted, %d lines rejected%n",
        o.topic(), logsTopic, outcome == BackfillJob.Outcome.DONE ? "done" : "interrupted", tally.read(),
        tally.accepted(), tally.rejectedLines());
    for (Tally.Reason r : tally.reasons()) {
      out.printf(Locale.ROOT, "  rejected %-28s %d  (first: %s)%n", r.name(), r.lines(), r.example());
    }
    if (j.skippedByRetention() > 0) {
      out.printf(Locale.ROOT, "  %d records were deleted by the topic's retention before this run could import them%n",
          j.skippedByRetention());
    }
    if (outcome != BackfillJob.Outcome.DONE) {
      out.printf(Locale.ROOT, "  %d records left: run the same command again to resume (consumer group %s)%n", j.lag(),
          o.group());
    }
  }

  static Properties consumerSettings(String bootstrap, String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fjord-backfill");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /** Asks a running backfill to stop after the batch in hand is stored and committed; returns at once. */
  void stop() {
    closed = true;
    BackfillJob j = job;
    if (j != null) {
      j.stop();
    }
  }

  /** Stops a running backfill after the batch in hand is stored and committed, waiting (boundedly) for that. */
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
