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
 * Invariants 1 and 2 with ingesters as processes that really die (issue 4): two clients push
 * continuously through an in-process distributor while ingester child JVMs are killed with SIGKILL
 * at random moments and started again (same instance id, port and state directory). Afterwards
 * every line answered 204 is returned exactly once by query_range and counted exactly by
 * count_over_time. The default suite runs a short variant; the {@code soak} profile the long one.
 */
class IngesterKillEndToEndTest {

  @Test
  void everyAcknowledgedLineExactlyOnceAfterAKill9(
      // kept when the test fails: the ingesters' logs and data tell what happened
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path root) throws Exception {
    run(root, 2, 40_000, 2, 2_000, false);
  }

  @Test
  @Tag("soak")
  void everyAcknowledgedLineExactlyOnceAfterThreeKills9UnderSustainedLoad(
      // kept when the test fails: the ingesters' logs and data tell what happened
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path root) throws Exception {
    run(root, 3, 200_000, 3, 3_000, false);
  }

  @Test
  @Tag("soak")
  void everyAcknowledgedLineExactlyOnceWhenAnIngesterIsKilledAgainWhileItRestarts(
      // kept when the test fails: the ingesters' logs and data tell what happened
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path root) throws Exception {
    run(root, 2, 100_000, 2, 3_000, true);
  }

  /**
   * Pushes at least {@code lines} lines from two clients at {@code linesPerSecond} while
   * {@code kills} times a random ingester is killed at a random point of the run and restarted:
   * alternately at once (it rejoins as the same static member and replays its own partitions) and
   * only after the group has moved its partitions to the others (they replay what it had not
   * flushed; on its return it gets partitions back whose local state is older than the store's).
   * With {@code againWhileRestarting}, each restarted ingester is killed once more a random moment
   * later (while it starts or replays) and started again.
   */
  private static void run(Path root, int ingesters, int lines, int kills, int linesPerSecond,
      boolean againWhileRestarting) throws Exception {
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    long t0 = System.nanoTime();
    try (IngesterCluster cluster = new IngesterCluster(root)) {
      for (int i = 0; i < ingesters; i++) {
        cluster.addIngester("ingester-" + i);
      }
      cluster.awaitAllReady(Duration.ofSeconds(90));
      long start = Instant.now().toEpochMilli() * 1_000_000;
      AckingPushers pushers = new AckingPushers(cluster.distributorUrl(), "kill", start, 2, linesPerSecond);
      DuplicateWatch watch = new DuplicateWatch(new ExactlyOnceCheck(cluster.querierUrl(), "kill", start, 0, 2),
          pushers::batches);
      int firstMove = random.nextInt(2);
      try {
        int segment = lines / (kills + 1);
        for (int k = 0; k < kills; k++) {
          // a random moment in the k-th segment of the run (or at once, if a restart took longer)
          int at = segment * k + segment / 4 + random.nextInt(segment / 2);
          await().atMost(Duration.ofMinutes(5)).until(() -> pushers.acknowledgedCount() >= at);
          List<String> up = cluster.running();
          String victim = up.get(random.nextInt(up.size()));
          boolean moveFirst = (k + firstMove) % 2 == 1;
          System.out.printf("kill -9 %s after %d acknowledged lines, restart %s (seed %d)%n", victim,
              pushers.acknowledgedCount(), moveFirst ? "once its partitions moved" : "at once", seed);
          cluster.kill(victim);
          if (moveFirst) {
            cluster.awaitPartitionsServedByRunning(Duration.ofSeconds(60));
          }
          cluster.restart(victim);
          if (againWhileRestarting) {
            // the pushed lines are the clock: a random moment of the next few seconds
            int again = pushers.acknowledgedCount() + random.nextInt(3 * linesPerSecond);
            await().atMost(Duration.ofMinutes(1)).until(() -> pushers.acknowledgedCount() >= again);
            System.out.printf("kill -9 %s again after %d acknowledged lines, %s%n", victim,
                pushers.acknowledgedCount(), cluster.isReady(victim) ? "ready" : "not ready yet");
            cluster.kill(victim);
            cluster.restart(victim);
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
      String summary = new ExactlyOnceCheck(cluster.querierUrl(), "kill", start, pushers.batches(), 2)
          .verify(pushers.acknowledged, pushers.unanswered, Duration.ofMinutes(3));
      assertThat(watch.doubled).as("lines one query_range answer returned twice while ingesters changed (%s)",
          watch.summary()).isEmpty();
      System.out.printf("ingester kill -9 x%d of %d ingesters (seed %d): %s, %d s%n", kills, ingesters, seed,
          summary + "; " + watch.summary(), (System.nanoTime() - t0) / 1_000_000_000);
    }
  }
}
