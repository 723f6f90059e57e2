package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariants 1 and 2 across rebalances (issue 4): while two clients push continuously, the
 * ingesters go from one child JVM to two and three (Kafka Streams moves partitions to each new
 * member) and then one of them is stopped (its partitions move back to the others, which replay
 * what it had not flushed). Afterwards every line answered 204 is returned exactly once by
 * query_range and counted exactly by count_over_time. The default suite runs 1 -> 2 -> stop one;
 * the {@code soak} profile the whole 1 -> 2 -> 3 -> stop one on at least 200,000 lines.
 */
class RebalanceEndToEndTest {

  @Test
  void everyAcknowledgedLineExactlyOnceWhileAnIngesterJoinsAndLeaves(
      // kept when the test fails: the ingesters' logs and data tell what happened
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path root) throws Exception {
    run(root, 2, 30_000, 2_000);
  }

  @Test
  @Tag("soak")
  void everyAcknowledgedLineExactlyOnceFromOneToThreeIngestersAndBackToTwo(
      // kept when the test fails: the ingesters' logs and data tell what happened
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path root) throws Exception {
    run(root, 3, 200_000, 3_000);
  }

  /**
   * Starts one ingester, adds more up to {@code most}, then stops a random one (SIGTERM), each step
   * at a random moment of its part of the run, until at least {@code lines} were acknowledged.
   */
  private static void run(Path root, int most, int lines, int linesPerSecond) throws Exception {
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    long t0 = System.nanoTime();
    try (IngesterCluster cluster = new IngesterCluster(root)) {
      cluster.addIngester("ingester-0");
      cluster.awaitAllReady(Duration.ofSeconds(90));
      long start = Instant.now().toEpochMilli() * 1_000_000;
      AckingPushers pushers = new AckingPushers(cluster.distributorUrl(), "rebalance", start, 2, linesPerSecond);
      DuplicateWatch watch = new DuplicateWatch(new ExactlyOnceCheck(cluster.querierUrl(), "rebalance", start, 0, 2),
          pushers::batches);
      try {
        int steps = most; // most - 1 additions and one stop
        int segment = lines / (steps + 1);
        for (int step = 0; step < steps; step++) {
          int at = segment * step + segment / 4 + random.nextInt(segment / 2);
          await().atMost(Duration.ofMinutes(5)).until(() -> pushers.acknowledgedCount() >= at);
          if (step < most - 1) {
            String id = "ingester-" + (step + 1);
            System.out.printf("adding %s after %d acknowledged lines (seed %d)%n", id, pushers.acknowledgedCount(),
                seed);
            cluster.addIngester(id);
            cluster.awaitAllReady(Duration.ofSeconds(120));
            cluster.awaitFetchingSomePartition(id, Duration.ofSeconds(60));
          } else {
            List<String> up = cluster.running();
            String leaving = up.get(random.nextInt(up.size()));
            System.out.printf("stopping %s after %d acknowledged lines (seed %d)%n", leaving,
                pushers.acknowledgedCount(), seed);
            cluster.stop(leaving);
            // it leaves the group as it closes: the others take its partitions and replay what it left unflushed
            cluster.awaitPartitionsServedByRunning(Duration.ofSeconds(60));
          }
          cluster.awaitAllReady(Duration.ofSeconds(120));
        }
        await().atMost(Duration.ofMinutes(5)).until(() -> pushers.acknowledgedCount() >= lines);
      } finally {
        pushers.close();
        watch.close();
      }
      assertThat(pushers.acknowledgedCount()).isGreaterThanOrEqualTo(lines);
      System.out.printf("pushing done after %d s%n", (System.nanoTime() - t0) / 1_000_000_000);
      String summary = new ExactlyOnceCheck(cluster.querierUrl(), "rebalance", start, pushers.batches(), 2)
          .verify(pushers.acknowledged, pushers.unanswered, Duration.ofMinutes(3));
      assertThat(watch.doubled).as("lines one query_range answer returned twice while ingesters changed (%s)",
          watch.summary()).isEmpty();
      System.out.printf("rebalance 1 -> %d -> %d ingesters (seed %d): %s, %d s%n", most, most - 1, seed, summary + "; "
          + watch.summary(), (System.nanoTime() - t0) / 1_000_000_000);
    }
  }
}
