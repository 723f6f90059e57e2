package io.fjord.app.e2e;

import static org.awaitility.Awaitility.await;

import io.fjord.app.config.ConfigLoader;
import io.fjord.app.config.FjordConfig;
import io.fjord.app.run.FjordProcess;
import io.fjord.app.run.Target;
import io.fjord.kafka.embedded.EmbeddedKafka;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A distributed Fjord for tests where an ingester process must really die: an embedded broker, a
 * distributor and a querier run in the test JVM (each on a free port), and every ingester is a child
 * JVM ({@code fjord ingester}) with its own instance id, HTTP port and state directory, all sharing
 * one object store directory. An ingester can be killed with SIGKILL, stopped with SIGTERM and
 * started again with the same id, port and state. Not thread-safe: drive it from the test thread.
 */
final class IngesterCluster implements AutoCloseable {
  static final int PARTITIONS = 4;
  private static final String SESSION_TIMEOUT = "6s";
  private static final Pattern LAG_ROW =
      Pattern.compile("(?m)^fjord_ingester_partition_lag\\{[^}]*partition=\"(\\d+)\"");

  private final Path root;
  private final EmbeddedKafka kafka;
  private final FjordProcess distributor;
  private final FjordProcess querier;
  private final Map<String, Child> ingesters = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One ingester child JVM; {@code process} is null while it is down. */
  private static final class Child {
    final String id;
    final int port;
    Process process;

    Child(String id, int port) {
      this.id = id;
      this.port = port;
    }
  }

  IngesterCluster(Path root) {
    this.root = root;
    EmbeddedKafka k = EmbeddedKafka.start(root.resolve("kafka"), 0, 0);
    FjordProcess d = null;
    try {
      d = FjordProcess.start(config(roleOverrides(k, "distributor")), Target.DISTRIBUTOR, Clock.systemUTC());
      Map<String, String> q = roleOverrides(k, "querier");
      q.put("limits_config.max_entries_limit_per_query", String.valueOf(ExactlyOnceCheck.PAGE_LIMIT));
      q.put("limits_config.query_timeout", "2m");
      this.querier = FjordProcess.start(config(q), Target.QUERIER, Clock.systemUTC());
    } catch (RuntimeException e) {
      if (d != null) {
        d.close();
      }
      k.close();
      throw e;
    }
    this.kafka = k;
    this.distributor = d;
  }

  private Map<String, String> roleOverrides(EmbeddedKafka k, String role) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("common.path_prefix", root.resolve(role).toString());
    m.put("storage.filesystem.directory", root.resolve("chunks").toString());
    m.put("server.http_listen_port", "0");
    m.put("kafka.bootstrap_servers", k.bootstrapServers());
    m.put("kafka.partitions", String.valueOf(PARTITIONS));
    m.put("limits_config.ingestion_rate_mb", "1000");
    m.put("limits_config.ingestion_burst_size_mb", "1000");
    return m;
  }

  private static FjordConfig config(Map<String, String> overrides) {
    return new ConfigLoader(name -> null).load(null, overrides);
  }

  String distributorUrl() {
    return "http://127.0.0.1:" + distributor.httpPort();
  }

  String querierUrl() {
    return "http://127.0.0.1:" + querier.httpPort();
  }

  /** Starts a new ingester child JVM under {@code id} (see {@link #awaitAllReady}). */
  void addIngester(String id) throws IOException {
    if (ingesters.containsKey(id)) {
      throw new IllegalStateException("ingester " + id + " exists");
    }
    Child c = new Child(id, EmbeddedKafka.freePort());
    ingesters.put(id, c);
    launch(c);
  }

  /** SIGKILL: no shutdown hook, no flush, no commit, no leave-group. */
  void kill(String id) throws InterruptedException {
    Child c = child(id);
    c.process.destroyForcibly();
    c.process.waitFor();
    c.process = null;
  }

  /** SIGTERM: a clean shutdown (flushes what it must, leaves the group). */
  void stop(String id) throws InterruptedException {
    Child c = child(id);
    c.process.destroy();
    c.process.waitFor();
    c.process = null;
  }

  /** Starts a stopped or killed ingester again with the same id, HTTP port and state directory. */
  void restart(String id) throws IOException {
    launch(child(id));
  }

  List<String> running() {
    List<String> out = new ArrayList<>();
    ingesters.values().forEach(c -> {
      if (c.process != null) {
        out.add(c.id);
      }
    });
    return out;
  }

  /** Where the child's stdout and stderr go (named in assertion messages). */
  Path logOf(String id) {
    return root.resolve("ingester-" + id + ".log");
  }

  /** Whether ingester {@code id} answers /ready now. */
  boolean isReady(String id) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child(id).port + "/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until every running ingester answers /ready (replayed and caught up). */
  void awaitAllReady(Duration atMost) {
    for (String id : running()) {
      await("ingester " + id + " ready (log " + logOf(id) + ")").atMost(atMost).pollInterval(Duration.ofMillis(250))
          .until(() -> isReady(id));
    }
  }

  /**
   * Waits until the running ingesters together fetch every partition of the logs topic (each
   * ingester's {@code fjord_ingester_partition_lag} has a row per partition its consumer fetches):
   * after a kill, the group has moved the dead member's partitions to the others.
   */
  void awaitPartitionsServedByRunning(Duration atMost) {
    await("partitions served by " + running()).atMost(atMost).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions().until(() -> {
          Set<String> served = new HashSet<>();
          for (String id : running()) {
            served.addAll(partitionsFetchedBy(id));
          }
          return served.size() == PARTITIONS;
        });
  }

  /** Waits until ingester {@code id} fetches at least one partition (the group gave it a share). */
  void awaitFetchingSomePartition(String id, Duration atMost) {
    await(id + " fetching a partition").atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> !partitionsFetchedBy(id).isEmpty());
  }

  private Set<String> partitionsFetchedBy(String id) throws IOException, InterruptedException {
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child(id).port + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Set<String> out = new HashSet<>();
    Matcher m = LAG_ROW.matcher(metrics);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private Child child(String id) {
    Child c = ingesters.get(id);
    if (c == null) {
      throw new IllegalArgumentException("no ingester " + id);
    }
    return c;
  }

  private void launch(Child c) throws IOException {
    if (c.process != null) {
      throw new IllegalStateException("ingester " + c.id + " is running");
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", System.getProperty("java.class.path"), "io.fjord.app.Main", "ingester",
        "-common.path_prefix=" + root.resolve("ingester-" + c.id),
        "-storage.filesystem.directory=" + root.resolve("chunks"),
        "-server.http_listen_port=" + c.port,
        "-kafka.bootstrap_servers=" + kafka.bootstrapServers(),
        "-kafka.partitions=" + PARTITIONS,
        "-ingester.instance_id=" + c.id,
        "-ingester.session_timeout=" + SESSION_TIMEOUT,
        "-ingester.heartbeat_period=1s",
        "-ingester.commit_interval=1s",
        "-ingester.replay_checkpoint_interval=1s",
        "-ingester.flush_check_period=1s",
        // small chunks: flushes, checkpoints and the store/ingester merge all happen while the test runs
        "-ingester.chunk_block_size=16KB",
        "-ingester.chunk_target_size=64KB",
        "-ingester.shutdown_timeout=20s",
        "-limits_config.ingestion_rate_mb=1000",
        "-limits_config.ingestion_burst_size_mb=1000",
        // the querier passes a query's limit on, and each ingester checks it against its own limits
        "-limits_config.max_entries_limit_per_query=" + ExactlyOnceCheck.PAGE_LIMIT));
    File log = logOf(c.id).toFile();
    c.process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
  }

  @Override
  public void close() {
    for (Child c : ingesters.values()) {
      if (c.process != null) {
        c.process.destroyForcibly();
        try {
          c.process.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    querier.close();
    distributor.close();
    kafka.close();
  }
}
