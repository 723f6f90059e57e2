package io.fjord.distributor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.config.LimitsConfig;
import io.fjord.distributor.limits.IngestionRateLimiter;
import io.fjord.distributor.push.LabelPair;
import io.fjord.distributor.push.PushException;
import io.fjord.distributor.push.PushedEntry;
import io.fjord.distributor.push.PushedStream;
import io.fjord.distributor.testing.MutableClock;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.ValidationLimits;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.StreamBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PushServiceTest {
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private static final long TS = NOW.getEpochSecond() * 1_000_000_000L;

  private final MutableClock clock = new MutableClock(NOW);
  private final List<StreamBatch> written = new CopyOnWriteArrayList<>();
  private StreamSink sink = written::addAll;

  private PushService service(double rateBytes, double burstBytes, long maxRecordBytes) {
    return new PushService(
        new PushValidator(ValidationLimits.from(LimitsConfig.defaults(), maxRecordBytes), clock),
        new IngestionRateLimiter(rateBytes, burstBytes, clock), batches -> sink.write(batches), maxRecordBytes);
  }

  private static PushedStream stream(String app, String... lines) {
    return PushedStream.of(List.of(new LabelPair("app", app)),
        java.util.Arrays.stream(lines).map(l -> new PushedEntry(TS, l)).toList());
  }

  @Test
  void aValidPushIsWrittenWhole() {
    service(1e9, 1e9, 1 << 20).push("t", List.of(stream("a", "1", "2"), stream("b", "3")));

    assertThat(written).extracting(StreamBatch::labels).containsExactly(Labels.of("app", "a"), Labels.of("app", "b"));
    assertThat(written).allSatisfy(b -> assertThat(b.tenant()).isEqualTo("t"));
  }

  @Test
  void aPartlyInvalidPushWritesTheValidPartThenReportsTheRest() {
    PushedStream bad = PushedStream.of(List.of(new LabelPair("bad-name", "x")), List.of(new PushedEntry(TS, "l")));

    assertThatThrownBy(() -> service(1e9, 1e9, 1 << 20).push("t", List.of(stream("good", "1"), bad)))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.INVALID))
        .hasMessageContaining("invalid label name \"bad-name\"");
    assertThat(written).extracting(StreamBatch::labels).containsExactly(Labels.of("app", "good"));
  }

  @Test
  void aPushOverTheRateLimitWritesNothing() {
    PushService service = service(100, 10, 1 << 20);

    assertThatThrownBy(() -> service.push("tenant-a", List.of(stream("a", "12345", "67890", "x"))))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.RATE_LIMITED))
        .hasMessage("ingestion rate limit exceeded for user tenant-a (limit: 100 bytes/sec) while attempting to ingest"
            + " '3' lines totaling '11' bytes, reduce log volume or contact your Loki administrator to see if the limit"
            + " can be increased");
    assertThat(written).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    service.push("tenant-a", List.of(stream("a", "12345")));
    assertThat(written).hasSize(1);
  }

  @Test
  void aWhollyInvalidPushIsNotChargedToTheRateLimit() {
    PushService service = service(0, 5, 1 << 20);
    PushedStream old = PushedStream.of(List.of(new LabelPair("app", "a")), List.of(new PushedEntry(0, "12345")));

    assertThatThrownBy(() -> service.push("t", List.of(old)))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.INVALID));
    service.push("t", List.of(stream("a", "12345"))); // the whole burst is still there
    assertThat(written).hasSize(1);
  }

  @Test
  void largeStreamsAreSplitIntoRecordSizedBatches() {
    String[] lines = new String[100];
    java.util.Arrays.fill(lines, "z".repeat(1000));
    service(1e9, 1e9, 16 * 1024).push("t", List.of(stream("a", lines)));

    assertThat(written).hasSizeGreaterThan(5);
    assertThat(written.stream().mapToInt(b -> b.entries().size()).sum()).isEqualTo(100);
  }

  @Test
  void aSinkFailureSurfacesAsUnavailable() {
    sink = batches -> {
      throw new PushException(PushException.Kind.UNAVAILABLE, "broker gone");
    };
    assertThatThrownBy(() -> service(1e9, 1e9, 1 << 20).push("t", List.of(stream("a", "1"))))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.UNAVAILABLE));
  }
}
