package io.fjord.kafka.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one node), running
 * inside this JVM from Kafka's own server classes. {@code fjord all} runs one as its write-ahead
 * log; integration tests run one instead of mocking Kafka. The log directory is formatted on first
 * start and reused afterwards, so a restart on the same directory finds its topics and offsets.
 * Start and close from one thread.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDir;
  private final int controllerPort;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir, int controllerPort) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.logDir = logDir;
    this.controllerPort = controllerPort;
  }

  /**
   * Formats {@code logDir} if it is new, starts the broker and waits until it answers.
   *
   * @param brokerPort the client port on 127.0.0.1; 0 picks a free one
   * @param controllerPort the KRaft controller port on 127.0.0.1; 0 picks a free one
   */
  public static EmbeddedKafka start(Path logDir, int brokerPort, int controllerPort) {
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka log directory " + logDir, e);
    }
    int broker = brokerPort == 0 ? freePort() : brokerPort;
    int controller = controllerPort == 0 ? freePort() : controllerPort;
    Properties props = brokerProperties(logDir, broker, controller, Runtime.getRuntime().availableProcessors());
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    format(logDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    long t0 = System.nanoTime();
    server.startup();
    EmbeddedKafka kafka = new EmbeddedKafka(server, "127.0.0.1:" + broker, logDir, controller);
    kafka.awaitReady();
    log.info("embedded Kafka broker ready on {} (log dir {}) in {} ms", kafka.bootstrapServers, logDir,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return kafka;
  }

  /**
   * The broker's settings. Its request threads are sized to the machine it shares with the rest of
   * {@code fjord all}: on 2 cores, Kafka's defaults (3 network and 8 I/O threads) only add context
   * switches between threads that each wait for one core (bench/RESULTS.md, "ingest profile").
   *
   * @param cores the processors this JVM may use
   */
  static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort, int cores) {
    Properties p = new Properties();
    p.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
        Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "8"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        // After a kill -9 the restarted node's controller still holds the dead broker's registration
        // and refuses the new one until that session expires: with Kafka's 9 s default, 9 of the
        // 17 s a restart took (bench/RESULTS.md, "Recovery after kill -9"). One node heartbeats over
        // loopback inside its own JVM, so a shorter session still leaves 4 missed heartbeats of slack.
        Map.entry("broker.session.timeout.ms", String.valueOf(BROKER_SESSION_TIMEOUT_MS)),
        Map.entry("broker.heartbeat.interval.ms", String.valueOf(BROKER_SESSION_TIMEOUT_MS / 4)),
        Map.entry("auto.create.topics.enable", "false"),
        Map.entry("num.partitions", "1"),
        Map.entry("num.network.threads", String.valueOf(networkThreads(cores))),
        Map.entry("num.io.threads", String.valueOf(ioThreads(cores))),
        Map.entry("log.cleaner.threads", "1"),
        Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024)),
        // a single node: a larger request than the default 1 MiB still fits one push of Loki's size
        Map.entry("message.max.bytes", String.valueOf(16 * 1024 * 1024))));
    return p;
  }

  /** How long the controller keeps a broker that stopped heartbeating (Kafka's default: 9 s). */
  static final int BROKER_SESSION_TIMEOUT_MS = 2000;

  /** One network thread per two cores, at most Kafka's default of 3. */
  static int networkThreads(int cores) {
    return Math.max(1, Math.min(3, cores / 2));
  }

  /** One request handler per core, at least 2 (a slow request must not stall every other), at most Kafka's 8. */
  static int ioThreads(int cores) {
    return Math.max(2, Math.min(8, cores));
  }

  private static void format(Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return; // formatted by an earlier start: keep its cluster id and data
    }
    try {
      new Formatter()
          .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toAbsolutePath().toString()))
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka log directory " + logDir + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("embedded Kafka broker did not come up: " + e.getMessage(), e);
    }
  }

  /** {@code host:port} for clients. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path logDir() {
    return logDir;
  }

  public int controllerPort() {
    return controllerPort;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  /** A port that was free a moment ago on 127.0.0.1. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
