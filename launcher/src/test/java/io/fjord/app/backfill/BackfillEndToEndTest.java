package io.fjord.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fjord backfill} against a running {@code fjord all} (real embedded broker): topics of raw,
 * JSON and logfmt lines imported and queried back with their labels and timestamps, invalid lines
 * counted by reason, a run interrupted and a run killed between the write and the commit resumed
 * without loss or duplicates, usage errors, and the Kafka-native producer example of FORMATS.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FjordAll fjord;
  /** Ten minutes ago, a whole second, in ms: inside the default 7-day window. */
  private final long baseMs = (Instant.now().getEpochSecond() - 600) * 1000;

  private record Run(int code, String out, String err) {}

  @BeforeAll
  void start(@TempDir Path dataDir) {
    fjord = new FjordAll(dataDir);
  }

  @AfterAll
  void stop() {
    if (fjord != null) {
      fjord.close();
    }
  }

  private Run backfill(BackfillCommand.Tuning tuning, AtomicReference<BackfillCommand> holder, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--bootstrap-servers", fjord.bootstrapServers()));
    all.addAll(List.of(args));
    BackfillCommand command = new BackfillCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false, Clock.systemUTC(), tuning);
    if (holder != null) {
      holder.set(command);
    }
    int code = command.run(all);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run backfill(String... args) {
    return backfill(BackfillCommand.DEFAULTS, null, args);
  }

  private static String ns(long nanos) {
    return String.valueOf(nanos);
  }

  @Test
  void rawLinesKeepTheirKafkaTimestampsAndPlainProgressLinesArePrinted() throws Exception {
    fjord.createTopic("raw-app", 2);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long ms = baseMs + i * 1000L;
      RecordMetadata m = fjord.produce("raw-app", i % 2, ms, "GET /item/" + i + " 200");
      // the line's time is the record's, plus its offset (< 10^6) in nanoseconds as a tie-break
      expected.add("{\"app\":\"raw-app\",\"env\":\"e2e\"} " + ns(ms * 1_000_000 + m.offset()) + " GET /item/" + i + " 200");
    }
    Run r = backfill(new BackfillCommand.Tuning(2, 1 << 20, Duration.ZERO, c -> c), null,
        "--topic", "raw-app", "--format", "raw", "--labels", "{app=\"raw-app\", env=\"e2e\"}");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("backfill of raw-app into logs done: 6 records read, 6 lines accepted, 0 lines rejected");
    assertThat(r.err()).contains("backfill raw-app: 6/6 lines (100%)").doesNotContain("\r");
    assertThat(r.err().lines().filter(l -> l.startsWith("backfill raw-app: ")).count())
        .as("a progress line per batch of two, and the last").isGreaterThanOrEqualTo(3);
    await().atMost(WAIT).untilAsserted(() -> assertThat(fjord.entries("{app=\"raw-app\"}")).isEqualTo(expected));
  }

  @Test
  void jsonLinesGetLabelsAndTimesFromTheirFields() throws Exception {
    fjord.createTopic("json-app", 1);
    String t0 = Instant.ofEpochMilli(baseMs + 250).toString(); // RFC3339 with milliseconds
    long t1 = baseMs / 1000 + 1; // Unix seconds, as a JSON number
    long t2 = (baseMs + 2000) * 1_000_000 + 7; // Unix nanoseconds, as a string
    String a = "{\"time\":\"" + t0 + "\",\"level\":\"info\",\"msg\":\"started\"}";
    String b = "{\"time\":" + t1 + ",\"level\":\"error\",\"msg\":\"failed\"}";
    String c = "{\"time\":\"" + t2 + "\",\"msg\":\"no level\"}";
    long oa = fjord.produce("json-app", 0, baseMs + 99_000, a).offset();
    long ob = fjord.produce("json-app", 0, baseMs + 99_000, b).offset();
    fjord.produce("json-app", 0, baseMs + 99_000, c);
    Run r = backfill("--topic=json-app", "--format=json", "--labels={app=\"json-app\"}", "--label-from=level",
        "--timestamp-from=time");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("3 records read, 3 lines accepted, 0 lines rejected");
    await().atMost(WAIT).untilAsserted(() -> assertThat(fjord.entries("{app=\"json-app\"}")).containsExactlyInAnyOrder(
        "{\"app\":\"json-app\",\"level\":\"info\"} " + ns((baseMs + 250) * 1_000_000 + oa) + " " + a,
        "{\"app\":\"json-app\",\"level\":\"error\"} " + ns(t1 * 1_000_000_000 + ob) + " " + b,
        "{\"app\":\"json-app\"} " + ns(t2) + " " + c));
  }

  @Test
  void logfmtLinesGetLabelsAndTimesFromTheirFields() throws Exception {
    fjord.createTopic("logfmt-app", 1);
    String t0 = Instant.ofEpochSecond(baseMs / 1000 + 3, 123_456_789).toString();
    String a = "ts=" + t0 + " level=warn caller=\"disk.go:12\" msg=\"disk almost full\"";
    String b = "ts=" + t0 + " msg=\"no level\" level=";
    fjord.produce("logfmt-app", 0, baseMs, a);
    fjord.produce("logfmt-app", 0, baseMs, b);
    Run r = backfill("--topic", "logfmt-app", "--format", "logfmt", "--labels", "{app=\"logfmt-app\"}",
        "--label-from", "level", "--label-from", "source=caller", "--timestamp-from", "ts");
    assertThat(r.code()).as(r.err()).isZero();
    long nanos = (baseMs / 1000 + 3) * 1_000_000_000 + 123_456_789;
    await().atMost(WAIT).untilAsserted(() -> assertThat(fjord.entries("{app=\"logfmt-app\"}")).containsExactlyInAnyOrder(
        "{\"app\":\"logfmt-app\",\"level\":\"warn\",\"source\":\"disk.go:12\"} " + ns(nanos) + " " + a,
        "{\"app\":\"logfmt-app\"} " + ns(nanos) + " " + b));
  }

  @Test
  void invalidLinesAreRejectedAndCountedByReasonInTheSummary() throws Exception {
    fjord.createTopic("bad-app", 1);
    String now = Instant.ofEpochMilli(baseMs).toString();
    String old = Instant.ofEpochMilli(baseMs).minus(Duration.ofDays(8)).toString();
    String good = "{\"t\":\"" + now + "\",\"msg\":\"fine\"}";
    fjord.produce("bad-app", 0, baseMs, good);
    fjord.produce("bad-app", 0, baseMs, "not json at all");
    fjord.produce("bad-app", 0, baseMs, "{\"msg\":\"no time\"}");
    fjord.produce("bad-app", 0, baseMs, "{\"t\":\"soon\"}");
    fjord.produce("bad-app", 0, baseMs, "{\"t\":\"" + old + "\",\"msg\":\"too old\"}");
    fjord.produce("bad-app", 0, baseMs, "{\"t\":\"" + now + "\",\"msg\":\"" + "x".repeat(200) + "\"}");
    fjord.produce("bad-app", 0, baseMs, null);
    fjord.produce("bad-app", 0, baseMs, "{\"t\":\"" + now + "\",\"msg\":\"also too long " + "y".repeat(200) + "\"}");
    Run r = backfill("--topic", "bad-app", "--format", "json", "--labels", "{app=\"bad-app\"}", "--timestamp-from", "t",
        "-limits_config.max_line_size=128B");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> summary = r.out().lines().toList();
    assertThat(summary.get(0)).isEqualTo("backfill of bad-app into logs done: 8 records read, 1 lines accepted, "
        + "7 lines rejected");
    assertThat(summary.subList(1, summary.size())).extracting(l -> l.trim().split(" +", 4)[1] + " " + l.trim()
        .split(" +", 4)[2]).containsExactlyInAnyOrder("invalid_json 1", "missing_timestamp 1", "invalid_timestamp 1",
            "no_value 1", "greater_than_max_sample_age 1", "line_too_long 2");
    assertThat(r.out()).contains("Max entry size '128' bytes exceeded").contains("\"soon\"");
    await().atMost(WAIT).untilAsserted(() -> assertThat(fjord.entries("{app=\"bad-app\"}"))
        .containsExactly("{\"app\":\"bad-app\"} " + ns(baseMs * 1_000_000) + " " + good));
  }

  @Test
  void interruptedAndCrashedRunsResumeWithoutLosingOrDoublingALine() throws Exception {
    fjord.createTopic("resume-app", 2);
    int lines = 200;
    for (int i = 0; i < lines; i++) {
      fjord.produce("resume-app", i % 2, baseMs + i, "resume " + i);
    }
    double duplicatesBefore = fjord.metric("fjord_ingester_duplicate_entries_total");
    String[] args = {"--topic", "resume-app", "--labels", "{app=\"resume-app\"}"};
    Map<TopicPartition, Long> committed = new HashMap<>();

    // run 1: Ctrl-C after its third commit; it stores and commits the lines in hand, then stops
    AtomicReference<BackfillCommand> first = new AtomicReference<>();
    AtomicInteger commits = new AtomicInteger();
    Run interrupted = backfill(new BackfillCommand.Tuning(10, 1 << 20, Duration.ofMinutes(1), commit -> offsets -> {
      commit.commit(offsets);
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
      if (commits.incrementAndGet() == 3) {
        first.get().stop(); // what close() does from the shutdown hook, without waiting for the run to end
      }
    }), first, args);
    assertThat(interrupted.code()).as(interrupted.err()).isEqualTo(BackfillCommand.STOPPED);
    assertThat(interrupted.out()).contains("interrupted").contains("run the same command again to resume");
    assertThat(commits.get()).as("the lines taken after the stop are committed once more").isEqualTo(4);

    // run 2: dies after its second batch is acknowledged but before its offsets are committed
    AtomicInteger calls = new AtomicInteger();
    AtomicLong unCommitted = new AtomicLong();
    Run crashed = backfill(new BackfillCommand.Tuning(10, 1 << 20, Duration.ofMinutes(1), commit -> offsets -> {
      if (calls.incrementAndGet() == 2) {
        offsets.forEach((tp, o) -> unCommitted.addAndGet(o.offset() - committed.getOrDefault(tp, 0L)));
        throw new org.apache.kafka.common.KafkaException("simulated crash between the write and the commit");
      }
      commit.commit(offsets);
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    }), null, args);
    assertThat(crashed.code()).as(crashed.err()).isEqualTo(BackfillCommand.FAILED);
    assertThat(crashed.err()).contains("simulated crash").contains("run the same command again");
    assertThat(unCommitted.get()).as("lines written twice by the rerun").isPositive();

    Run resumed = backfill(args);
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("done");
    assertThat(backfill(args).out()).startsWith("nothing to backfill: topic resume-app is imported up to its end");

    await().atMost(WAIT).untilAsserted(() -> {
      List<String> entries = fjord.entries("{app=\"resume-app\"}");
      assertThat(entries).hasSize(lines);
      assertThat(new HashSet<>(entries.stream().map(e -> e.substring(e.lastIndexOf(" resume ") + 1)).toList()))
          .hasSize(lines);
    });
    // the ingester dropped exactly the re-produced lines as duplicates (same stream, time, line)
    await().atMost(WAIT).untilAsserted(() -> assertThat(fjord.metric("fjord_ingester_duplicate_entries_total")
        - duplicatesBefore).isEqualTo((double) unCommitted.get()));
  }

  @Test
  void badUsageExitsTwoNamingTheFlagAndAMissingTopicExitsOne() {
    Run usage = backfill("--topic", "x", "--labels", "{app=\"x\"}", "--format", "xml");
    assertThat(usage.code()).isEqualTo(BackfillCommand.USAGE_ERROR);
    assertThat(usage.err()).contains("--format").contains("usage: fjord backfill");
    Run missing = backfill("--topic", "no-such-topic", "--labels", "{app=\"x\"}");
    assertThat(missing.code()).isEqualTo(BackfillCommand.FAILED);
    assertThat(missing.err()).contains("topic no-such-topic does not exist");
  }

  @Test
  void theKafkaNativeProducerExampleWritesARecordFjordServes() throws Exception {
    long nanos = baseMs * 1_000_000 + 123_456;
    KafkaNativeProducerExample.send(fjord.producer(), "logs", "fake",
        new TreeMap<>(Map.of("app", "native", "env", "dev")), nanos, "written without the distributor");
    KafkaNativeProducerExample.main(new String[] {fjord.bootstrapServers()});
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(fjord.entries("{app=\"native\"}"))
          .containsExactly("{\"app\":\"native\",\"env\":\"dev\"} " + ns(nanos) + " written without the distributor");
      JsonNode shop = fjord.queryRange("{app=\"shop\", env=\"dev\"}");
      assertThat(shop).hasSize(1);
      assertThat(shop.at("/0/values/0/1").asText()).isEqualTo("GET /cart 200");
    });
  }
}
