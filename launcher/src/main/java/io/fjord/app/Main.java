package io.fjord.app;

import io.fjord.app.backfill.BackfillCommand;
import io.fjord.app.cli.QueryCommand;
import io.fjord.app.config.ConfigException;
import io.fjord.app.config.ConfigLoader;
import io.fjord.app.config.FjordConfig;
import io.fjord.app.ops.LogSetup;
import io.fjord.app.replay.ReplayCommand;
import io.fjord.app.run.FjordProcess;
import io.fjord.app.run.Target;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fjord} command: {@code fjord [all|distributor|ingester|querier|compactor] [-config.file=F]
 * [-section.key=value ...]}. Loads the config, starts the target and runs until SIGTERM or Ctrl-C,
 * then shuts down cleanly (the shutdown hook closes every role in reverse order). {@code fjord
 * query ...} is a client instead: it needs no config and is handed to {@link QueryCommand}; {@code
 * fjord backfill ...} is handed to {@link BackfillCommand}, {@code fjord replay ...} to {@link ReplayCommand}.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  static final String USAGE = """
      usage: fjord [all|distributor|ingester|querier|compactor] [-config.file=PATH] [-SECTION.KEY=VALUE ...]
             fjord query '<LogQL>' [--addr=URL] [--org-id=T] [--since=1h | --from=T --to=T] [--limit=30]
                         [--forward] [--output=default|raw|jsonl] [--step=D] [--tail]
             fjord backfill --topic TOPIC --labels '{app="x"}' [--format raw|json|logfmt] [--label-from FIELD ...]
                         [--timestamp-from FIELD] [--bootstrap-servers HOST:PORT] [--tenant T] [--logs-topic logs]
             fjord replay --from TIME|OFFSET [--to TIME|OFFSET] [--tenant T] [--bootstrap-servers HOST:PORT]

        all           every role in one process with an embedded Kafka broker (the default)
        distributor   the push API, producing to kafka.bootstrap_servers
        ingester      consumes the logs topic, serves recent data to queriers
        querier       the query API, over the chunk store and the ingesters
        compactor     compacts the chunk index and applies retention (needs only the store)
        query         a client: runs a LogQL query against --addr (http://127.0.0.1:3100) and prints
                      the result; --tail follows new lines until Ctrl-C (fjord query --help)
        backfill      imports an existing Kafka topic of application logs through the push API's
                      validation; resumable, stops at the topic's end (fjord backfill --help)
        replay        re-ingests a range of the logs topic into the store (after losing it); running it
                      twice stores nothing twice (fjord replay --help)

        -config.file=PATH     YAML configuration (see docs/configuration.md); ${VAR} and ${VAR:-default}
                              are read from the environment
        -SECTION.KEY=VALUE    overrides one key, e.g. -server.http_listen_port=3200
        -version              prints the version
      """;

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("query")) {
      System.exit(query(Arrays.asList(args).subList(1, args.length)));
      return;
    }
    if (args.length > 0 && args[0].equals("backfill")) {
      System.exit(BackfillCommand.main(Arrays.asList(args).subList(1, args.length)));
      return;
    }
    if (args.length > 0 && args[0].equals("replay")) {
      System.exit(ReplayCommand.main(Arrays.asList(args).subList(1, args.length)));
      return;
    }
    Target target = Target.ALL;
    Path configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("-help") || arg.equals("--help") || arg.equals("help")) {
        System.out.print(USAGE);
        return;
      }
      if (arg.equals("-version") || arg.equals("--version") || arg.equals("version")) {
        System.out.println("fjord " + version());
        return;
      }
      if (!arg.startsWith("-")) {
        target = parseTarget(arg);
        continue;
      }
      String flag = arg.replaceFirst("^--?", "");
      int eq = flag.indexOf('=');
      if (eq < 0) {
        fail("flag " + arg + " needs a value: " + arg + "=VALUE");
      }
      String key = flag.substring(0, eq);
      String value = flag.substring(eq + 1);
      switch (key) {
        case "config.file" -> configFile = Path.of(value);
        case "config.expand-env" -> { } // always on; accepted for Loki compatibility
        case "target" -> target = parseTarget(value);
        default -> overrides.put(key, value);
      }
    }
    FjordConfig config;
    try {
      config = ConfigLoader.withSystemEnv().load(configFile, overrides);
    } catch (ConfigException e) {
      fail("invalid configuration: " + e.getMessage());
      return;
    }
    run(config, target);
  }

  /** Runs the query client; Ctrl-C ends a tail cleanly. Returns the exit code. */
  private static int query(List<String> args) {
    QueryCommand command = new QueryCommand(System.out, System.err, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(command::close, "fjord-query-stop"));
    return command.run(args);
  }

  private static void run(FjordConfig config, Target target) {
    LogSetup.apply(config.server().logLevel(), config.server().logFormat());
    FjordProcess process;
    try {
      process = FjordProcess.start(config, target, Clock.systemUTC());
    } catch (RuntimeException e) {
      log.error("fjord could not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      process.close();
      stopped.countDown();
    }, "fjord-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Target parseTarget(String name) {
    try {
      return Target.parse(name);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage() + "\n" + USAGE);
      return Target.ALL;
    }
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  private static void fail(String message) {
    System.err.println("fjord: " + message);
    System.exit(2);
  }
}
