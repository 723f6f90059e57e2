package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fjord.app.cli.QueryCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fjord query} run in-process against {@code fjord all}: a log query in each output mode, a
 * metric query, a query the server refuses, bad usage, and {@code --tail} printing a line pushed
 * while it runs until the command is closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryCliEndToEndTest {
  private FjordHarness fjord;
  /** Whole seconds a minute ago: the three lines are at base+1s, +2s, +3s. */
  private final long base = Instant.now().getEpochSecond() - 60;

  private record Run(int code, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
  }

  @BeforeAll
  void start(@TempDir Path dataDir) throws Exception {
    fjord = new FjordHarness(dataDir, Map.of());
    push("cli", List.of(new String[] {ns(base + 1), "alpha"}, new String[] {ns(base + 2), "beta"},
        new String[] {ns(base + 3), "gamma 500"}));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(fjord.getJson("/loki/api/v1/query_range", null, Map.of("query", "{app=\"cli\"}"))
            .at("/data/result/0/values")).hasSize(3));
  }

  @AfterAll
  void stop() {
    if (fjord != null) {
      fjord.close();
    }
  }

  private static String ns(long seconds) {
    return seconds + "000000000";
  }

  private static String at(long seconds) {
    return Instant.ofEpochSecond(seconds).toString();
  }

  private void push(String app, List<String[]> values) throws Exception {
    StringBuilder body = new StringBuilder("{\"streams\":[{\"stream\":{\"app\":\"" + app + "\",\"env\":\"e2e\"},\"values\":[");
    for (int i = 0; i < values.size(); i++) {
      body.append(i > 0 ? "," : "").append("[\"").append(values.get(i)[0]).append("\",\"")
          .append(values.get(i)[1]).append("\"]");
    }
    body.append("]}]}");
    assertThat(fjord.post("/loki/api/v1/push", null, "application/json", Map.of(),
        body.toString().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
  }

  private Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--addr=" + fjord.base));
    all.addAll(List.of(args));
    int code;
    try (QueryCommand command = new QueryCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC())) {
      code = command.run(all);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void defaultOutputIsNewestFirstWithTimeAndLabels() {
    Run r = run("{app=\"cli\"}");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).containsExactly(
        at(base + 3) + " {app=\"cli\", env=\"e2e\"} gamma 500",
        at(base + 2) + " {app=\"cli\", env=\"e2e\"} beta",
        at(base + 1) + " {app=\"cli\", env=\"e2e\"} alpha");
  }

  @Test
  void rawOutputForwardPrintsTheFilteredLinesOnly() {
    Run r = run("{app=\"cli\"} |~ \"a$\"", "--forward", "--output", "raw", "--since=10m");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).containsExactly("alpha", "beta");
  }

  @Test
  void jsonlOutputHonoursTheLimit() throws Exception {
    Run r = run("{app=\"cli\"}", "--output=jsonl", "--limit=1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(1);
    JsonNode entry = FjordHarness.JSON.readTree(r.lines().get(0));
    assertThat(entry.get("timestamp").asText()).isEqualTo(at(base + 3));
    assertThat(entry.get("labels").toString()).isEqualTo("{\"app\":\"cli\",\"env\":\"e2e\"}");
    assertThat(entry.get("line").asText()).isEqualTo("gamma 500");
  }

  @Test
  void aMetricQueryPrintsItsSamples() throws Exception {
    String[] range = {"--from=" + at(base + 4), "--to=" + at(base + 6), "--step=1s"};
    Run text = run("sum(count_over_time({app=\"cli\"}[10m]))", range[0], range[1], range[2]);
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.lines()).isNotEmpty().startsWith(at(base + 4) + " {} 3").allMatch(l -> l.endsWith(" {} 3"));

    Run jsonl = run("sum by (env) (count_over_time({app=\"cli\"} |= \"a\" [10m]))", range[0], range[1], range[2],
        "--output=jsonl");
    assertThat(jsonl.code()).as(jsonl.err()).isZero();
    JsonNode first = FjordHarness.JSON.readTree(jsonl.lines().get(0));
    assertThat(first.toString()).isEqualTo(
        "{\"timestamp\":\"" + at(base + 4) + "\",\"metric\":{\"env\":\"e2e\"},\"value\":\"3\"}");
  }

  @Test
  void aQueryTheServerRefusesExitsOneWithItsMessage() {
    Run r = run("{app=\"cli\"");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("HTTP 400").contains("parse error");
  }

  @Test
  void badUsageExitsTwoWithoutAsking() {
    Run r = run("{app=\"cli\"}", "--since=soon");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--since").contains("usage: fjord query");
  }

  @Test
  void tailPrintsALinePushedWhileItRunsUntilClosed() throws Exception {
    // "before" on stdout proves the tail is connected, so "after" is pushed while it runs
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    QueryCommand tail = new QueryCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC());
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
        tail.run(List.of("--addr=" + fjord.base, "{app=\"tail\"}", "--tail", "--output=raw", "--since=1m")));
    try {
      long now = Instant.now().getEpochSecond();
      push("tail", List.<String[]>of(new String[] {ns(now), "before"}));
      await().atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("before\n"));
      push("tail", List.<String[]>of(new String[] {String.valueOf(now * 1_000_000_000L + 1), "after"}));
      await().atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("before\nafter\n"));
      assertThat(exit).as(() -> "stderr: " + err.toString(StandardCharsets.UTF_8)).isNotDone();
    } finally {
      tail.close();
    }
    assertThat(exit.get(10, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
  }
}
