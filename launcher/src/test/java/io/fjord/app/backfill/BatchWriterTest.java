package io.fjord.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.distributor.limits.IngestionRateLimiter;
import io.fjord.distributor.push.LabelPair;
import io.fjord.distributor.push.PushException;
import io.fjord.distributor.push.PushedEntry;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.ValidationLimits;
import io.fjord.schemas.record.StreamBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchWriterTest {
  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
  private static final long NOW_NS = 1_714_557_600_000_000_000L;
  /** max_line_size 10 bytes, 15 labels, 7 days back, 10 minutes ahead. */
  private static final ValidationLimits LIMITS = new ValidationLimits(10, false, 1024, 2048, 15, true,
      Duration.ofDays(7), Duration.ofMinutes(10), 64 * 1024, 128, 1000 * 1024);

  private final MutableClock clock = new MutableClock(NOW);
  private final List<StreamBatch> written = new ArrayList<>();
  private final Tally tally = new Tally();
  private int pauses;

  private BatchWriter writer(double bytesPerSecond, long burst) {
    return new BatchWriter("t1", new PushValidator(LIMITS, clock), new IngestionRateLimiter(bytesPerSecond, burst, clock),
        burst, written::addAll, 1000 * 1024, () -> {
          pauses++;
          clock.advance(Duration.ofMillis(100));
        });
  }

  private static LineReader.Line line(String app, long ts, String text) {
    return new LineReader.Line(List.of(new LabelPair("app", app)), new PushedEntry(ts, text));
  }

  @Test
  void validLinesAreWrittenOneBatchPerStreamInReadOrder() throws Exception {
    writer(1e6, 1_000_000).write(List.of(line("a", NOW_NS, "one"), line("b", NOW_NS, "two"),
        line("a", NOW_NS + 1, "three")), tally);
    assertThat(written).hasSize(2);
    assertThat(written.get(0).tenant()).isEqualTo("t1");
    assertThat(written.get(0).labels().toString()).isEqualTo("{app=\"a\"}");
    assertThat(written.get(0).entries()).extracting(e -> e.line()).containsExactly("one", "three");
    assertThat(written.get(1).entries()).extracting(e -> e.line()).containsExactly("two");
    assertThat(tally.accepted()).isEqualTo(3);
    assertThat(tally.rejectedLines()).isZero();
  }

  @Test
  void thePushApisRulesRejectLinesWithItsReasons() throws Exception {
    long eightDaysAgo = NOW_NS - Duration.ofDays(8).toNanos();
    long anHourAhead = NOW_NS + Duration.ofHours(1).toNanos();
    writer(1e6, 1_000_000).write(List.of(line("a", NOW_NS, "ok"), line("a", NOW_NS, "eleven byte"),
        line("a", eightDaysAgo, "old"), line("a", anHourAhead, "new"), line("a", NOW_NS + 2, "0123456789ab")), tally);
    assertThat(written).singleElement().satisfies(b -> assertThat(b.entries()).extracting(e -> e.line())
        .containsExactly("ok"));
    assertThat(tally.accepted()).isEqualTo(1);
    assertThat(tally.reasons()).extracting(Tally.Reason::name, Tally.Reason::lines).containsExactly(
        org.assertj.core.groups.Tuple.tuple("line_too_long", 2L),
        org.assertj.core.groups.Tuple.tuple("greater_than_max_sample_age", 1L),
        org.assertj.core.groups.Tuple.tuple("too_far_in_future", 1L));
    assertThat(tally.reasons().get(0).example()).contains("Max entry size '10' bytes");
  }

  @Test
  void overTheRateLimitTheBatchWaitsForTokensInsteadOfBeingRefused() throws Exception {
    BatchWriter w = writer(100, 100); // 100 bytes/s, burst 100 bytes
    w.write(List.of(line("a", NOW_NS, "0123456789"), line("a", NOW_NS + 1, "0123456789")), tally); // 20 bytes
    w.write(List.of(line("a", NOW_NS + 2, "0123456789"), line("a", NOW_NS + 3, "0123456789")), tally);
    w.write(List.of(line("a", NOW_NS + 4, "0123456789"), line("a", NOW_NS + 5, "0123456789")), tally);
    w.write(List.of(line("a", NOW_NS + 6, "0123456789"), line("a", NOW_NS + 7, "0123456789")), tally);
    w.write(List.of(line("a", NOW_NS + 8, "0123456789"), line("a", NOW_NS + 9, "0123456789")), tally);
    assertThat(pauses).as("the burst covers the first 100 bytes").isZero();
    w.write(List.of(line("a", NOW_NS + 10, "0123456789"), line("a", NOW_NS + 11, "0123456789")), tally);
    // 20 more bytes at 100 bytes/s take 0.2 s: two pauses of 100 ms (a third if rounding leaves a sliver)
    assertThat(pauses).isBetween(2, 3);
    assertThat(tally.accepted()).isEqualTo(12);
    assertThat(written).hasSize(6);
  }

  @Test
  void aBatchTheLimitCanNeverAdmitIsRejectedAsRateLimited() throws Exception {
    writer(100, 15).write(List.of(line("a", NOW_NS, "0123456789"), line("a", NOW_NS + 1, "0123456789")), tally);
    assertThat(written).isEmpty();
    assertThat(pauses).isZero();
    assertThat(tally.reasons()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("rate_limited");
      assertThat(r.lines()).isEqualTo(2);
    });
  }

  @Test
  void aSinkFailurePropagatesAndCountsNothingAccepted() {
    BatchWriter w = new BatchWriter("t1", new PushValidator(LIMITS, clock), new IngestionRateLimiter(1e6, 1e6, clock),
        1_000_000, batches -> {
          throw new PushException(PushException.Kind.UNAVAILABLE, "broker gone");
        }, 1000 * 1024, BatchWriter.SLEEP);
    assertThatThrownBy(() -> w.write(List.of(line("a", NOW_NS, "x")), tally)).hasMessageContaining("broker gone");
    assertThat(tally.accepted()).isZero();
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
