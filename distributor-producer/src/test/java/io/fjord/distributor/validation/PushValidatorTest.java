package io.fjord.distributor.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fjord.common.config.ByteSize;
import io.fjord.common.config.LimitsConfig;
import io.fjord.distributor.push.LabelPair;
import io.fjord.distributor.push.PushedEntry;
import io.fjord.distributor.push.PushedStream;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.StreamBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PushValidatorTest {
  static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  static final long NOW_NANOS = NOW.getEpochSecond() * 1_000_000_000L;
  static final long RECENT = NOW_NANOS - Duration.ofMinutes(1).toNanos();
  static final long RECORD = 1000 * 1024;

  private static PushValidator validator(LimitsConfig limits) {
    return new PushValidator(ValidationLimits.from(limits, RECORD), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static final PushValidator DEFAULTS = validator(LimitsConfig.defaults());

  static List<LabelPair> labels(String... nameValues) {
    List<LabelPair> out = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      out.add(new LabelPair(nameValues[i], nameValues[i + 1]));
    }
    return out;
  }

  static PushedStream stream(List<LabelPair> labels, PushedEntry... entries) {
    return PushedStream.of(labels, List.of(entries));
  }

  static PushedStream app(PushedEntry... entries) {
    return stream(labels("app", "x"), entries);
  }

  static PushedEntry line(String line) {
    return new PushedEntry(RECENT, line);
  }

  static PushedEntry at(long ts) {
    return new PushedEntry(ts, "l");
  }

  static PushedEntry meta(String... nameValues) {
    return new PushedEntry(RECENT, "l", labels(nameValues));
  }

  static List<LabelPair> many(int n) {
    List<LabelPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new LabelPair("l" + i, "v"));
    }
    return out;
  }

  static Stream<Arguments> pushes() {
    PushedEntry ok = line("ok");
    return Stream.of(
        // valid
        arguments("one label", app(ok), null),
        arguments("15 labels, the limit", stream(many(15), ok), null),
        arguments("name with underscore and digits", stream(labels("_a1_B", "v"), ok), null),
        arguments("name of 1024 chars", stream(labels("n".repeat(1024), "v"), ok), null),
        arguments("value of 2048 bytes", stream(labels("a", "v".repeat(2048)), ok), null),
        arguments("value with an emoji", stream(labels("a", "\uD83D\uDE00"), ok), null),
        arguments("empty line", app(line("")), null),
        arguments("line of exactly 256KB", app(line("x".repeat(256 * 1024))), null),
        arguments("exactly the oldest acceptable", app(at(NOW_NANOS - Duration.ofDays(7).toNanos())), null),
        arguments("exactly at the grace period", app(at(NOW_NANOS + Duration.ofMinutes(10).toNanos())), null),
        arguments("structured metadata", app(meta("trace_id", "abc", "user", "u1")), null),
        arguments("128 metadata pairs", app(new PushedEntry(RECENT, "l", many(128))), null),
        // stream rules
        arguments("no labels", stream(labels(), ok), RejectionReason.MISSING_LABELS),
        arguments("name starting with a digit", stream(labels("1app", "x"), ok), RejectionReason.INVALID_LABELS),
        arguments("name with a dash", stream(labels("app-name", "x"), ok), RejectionReason.INVALID_LABELS),
        arguments("name with a dot", stream(labels("app.name", "x"), ok), RejectionReason.INVALID_LABELS),
        arguments("empty name", stream(labels("", "x"), ok), RejectionReason.INVALID_LABELS),
        arguments("value with an unpaired surrogate", stream(labels("a", "x\uD800"), ok), RejectionReason.INVALID_LABELS),
        arguments("unreadable label text", PushedStream.unreadable("{a=b}", "expected a quoted label value", List.of(ok)),
            RejectionReason.INVALID_LABELS),
        arguments("16 labels", stream(many(16), ok), RejectionReason.MAX_LABEL_NAMES_PER_SERIES),
        arguments("10,000 labels", stream(many(10_000), ok), RejectionReason.MAX_LABEL_NAMES_PER_SERIES),
        arguments("name of 1025 chars", stream(labels("n".repeat(1025), "v"), ok), RejectionReason.LABEL_NAME_TOO_LONG),
        arguments("value of 2049 bytes", stream(labels("a", "v".repeat(2049)), ok), RejectionReason.LABEL_VALUE_TOO_LONG),
        arguments("value of 1025 two-byte chars", stream(labels("a", "é".repeat(1025)), ok), RejectionReason.LABEL_VALUE_TOO_LONG),
        arguments("duplicate names", stream(labels("a", "1", "b", "2", "a", "3"), ok), RejectionReason.DUPLICATE_LABEL_NAMES),
        // entry rules
        arguments("older than a week", app(at(NOW_NANOS - Duration.ofDays(7).toNanos() - 1)), RejectionReason.GREATER_THAN_MAX_SAMPLE_AGE),
        arguments("timestamp zero", app(at(0)), RejectionReason.GREATER_THAN_MAX_SAMPLE_AGE),
        arguments("beyond the grace period", app(at(NOW_NANOS + Duration.ofMinutes(10).toNanos() + 1)), RejectionReason.TOO_FAR_IN_FUTURE),
        arguments("line of 256KB + 1", app(line("x".repeat(256 * 1024 + 1))), RejectionReason.LINE_TOO_LONG),
        arguments("line of 256KB counted in UTF-8 bytes", app(line("é".repeat(128 * 1024 + 1))), RejectionReason.LINE_TOO_LONG),
        arguments("metadata name with a dash", app(meta("trace-id", "abc")), RejectionReason.INVALID_LABELS),
        arguments("metadata name empty", app(meta("", "abc")), RejectionReason.INVALID_LABELS),
        arguments("metadata name twice", app(meta("k", "1", "k", "2")), RejectionReason.DUPLICATE_LABEL_NAMES),
        arguments("129 metadata pairs", app(new PushedEntry(RECENT, "l", many(129))), RejectionReason.STRUCTURED_METADATA_TOO_MANY),
        arguments("metadata over 64KB", app(meta("k", "v".repeat(64 * 1024))), RejectionReason.STRUCTURED_METADATA_TOO_LARGE));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("pushes")
  void appliesLokisRules(String name, PushedStream stream, RejectionReason expected) {
    ValidatedPush result = DEFAULTS.validate("t", List.of(stream));

    if (expected == null) {
      assertThat(result.rejections()).isEmpty();
      assertThat(result.batches()).hasSize(1);
      assertThat(result.batches().get(0).entries()).hasSize(stream.entries().size());
    } else {
      assertThat(result.batches()).isEmpty();
      assertThat(result.rejections()).extracting(Rejection::reason).containsExactly(expected);
      assertThat(result.rejections().get(0).entries()).isEqualTo(1);
    }
  }

  @Test
  void messagesAreWordedLikeLokis() {
    long weekAndDayAgo = NOW_NANOS - Duration.ofDays(8).toNanos();
    long hourAhead = NOW_NANOS + Duration.ofHours(1).toNanos();
    ValidatedPush result = DEFAULTS.validate("t", List.of(
        stream(labels("env", "y", "app", "x"), at(weekAndDayAgo), at(hourAhead), line("x".repeat(262_145))),
        stream(labels("a", "1", "a", "2"), line("l")),
        stream(labels(), line("l")),
        stream(many(16), line("l")),
        stream(labels("bad-name", "v"), line("l"))));

    assertThat(result.rejections()).extracting(Rejection::message).containsExactly(
        "entry for stream '{app=\"x\", env=\"y\"}' has timestamp too old: 2024-05-24 12:00:00 +0000 UTC,"
            + " oldest acceptable timestamp is: 2024-05-25 12:00:00 +0000 UTC",
        "entry for stream '{app=\"x\", env=\"y\"}' has timestamp too new: 2024-06-01 13:00:00 +0000 UTC",
        "Max entry size '262144' bytes exceeded for stream '{app=\"x\", env=\"y\"}' while adding an entry with length"
            + " '262145' bytes",
        "stream '{a=\"1\", a=\"2\"}' has duplicate label name: 'a'",
        "error at least one label pair is required per stream",
        "entry for stream '{l0=\"v\", l1=\"v\", l2=\"v\", l3=\"v\", l4=\"v\", l5=\"v\", l6=\"v\", l7=\"v\", l8=\"v\", l9=\"v\","
            + " l10=\"v\", l11=\"v\", l12=\"v\", l13=\"v\", l14=\"v\", l15=\"v\"}' has 16 label names; limit 15",
        "error parsing labels '{bad-name=\"v\"}' with error: invalid label name \"bad-name\": must match"
            + " [a-zA-Z_][a-zA-Z0-9_]*");
  }

  @Test
  void aPartlyInvalidPushKeepsItsValidStreamsAndEntries() {
    ValidatedPush result = DEFAULTS.validate("t", List.of(
        stream(labels("app", "good"), line("a"), at(0), line("b")),
        stream(labels("app-name", "bad"), line("c")),
        stream(labels("app", "other"), line("d"))));

    assertThat(result.batches()).containsExactly(
        new StreamBatch("t", Labels.of("app", "good"), List.of(new LogEntry(RECENT, "a"), new LogEntry(RECENT, "b"))),
        new StreamBatch("t", Labels.of("app", "other"), List.of(new LogEntry(RECENT, "d"))));
    assertThat(result.rejections()).extracting(Rejection::reason)
        .containsExactly(RejectionReason.GREATER_THAN_MAX_SAMPLE_AGE, RejectionReason.INVALID_LABELS);
    assertThat(result.lines()).isEqualTo(3);
  }

  @Test
  void theSameStreamPushedTwiceInAnyLabelOrderBecomesOneBatchInPushOrder() {
    ValidatedPush result = DEFAULTS.validate("t", List.of(
        stream(labels("b", "2", "a", "1"), line("first")),
        stream(labels("z", "9"), line("other")),
        stream(labels("a", "1", "b", "2"), line("second"))));

    assertThat(result.batches()).hasSize(2);
    assertThat(result.batches().get(0).labels()).isEqualTo(Labels.of("a", "1", "b", "2"));
    assertThat(result.batches().get(0).entries()).extracting(LogEntry::line).containsExactly("first", "second");
  }

  @Test
  void bytesCountLinesAndStructuredMetadataInUtf8() {
    ValidatedPush result = DEFAULTS.validate("t", List.of(app(
        line("héllo"), // 6 bytes
        new PushedEntry(RECENT, "abc", labels("k", "vé"))))); // 3 + 1 + 3

    assertThat(result.bytes()).isEqualTo(6 + 3 + 1 + 3);
    assertThat(result.lines()).isEqualTo(2);
  }

  @Test
  void emptyStreamsAreIgnoredEvenWithBadLabels() {
    ValidatedPush result = DEFAULTS.validate("t", List.of(stream(labels("bad-name", "x"))));
    assertThat(result.batches()).isEmpty();
    assertThat(result.rejections()).isEmpty();
  }

  @Test
  void longLinesAreTruncatedWhenConfiguredWithoutSplittingACharacter() {
    LimitsConfig truncate = new LimitsConfig(null, null, ByteSize.ofBytes(10), true,
        null, null, null, null, null, null, null, null, null, null, null, null, null);
    ValidatedPush result = validator(truncate).validate("t", List.of(app(
        line("0123456789abc"), line("012345678é"), line("short"))));

    assertThat(result.rejections()).isEmpty();
    assertThat(result.batches().get(0).entries()).extracting(LogEntry::line)
        .containsExactly("0123456789", "012345678", "short");
  }

  @Test
  void oldSamplesAreAcceptedWhenRejectionIsOff() {
    LimitsConfig keepOld = new LimitsConfig(null, null, null, null, null, null, null, false,
        null, null, null, null, null, null, null, null, null);
    assertThat(validator(keepOld).validate("t", List.of(app(at(1)))).rejections()).isEmpty();
  }

  @Test
  void anEntryThatCannotFitOneKafkaRecordIsRejectedEvenWithoutALineLimit() {
    LimitsConfig noLineLimit = new LimitsConfig(null, null, ByteSize.ofBytes(0), null,
        null, null, null, null, null, null, null, null, null, null, null, null, null);
    ValidatedPush result = validator(noLineLimit).validate("t", List.of(app(line("x".repeat(2 << 20)), line("small"))));

    assertThat(result.rejections()).extracting(Rejection::reason).containsExactly(RejectionReason.LINE_TOO_LONG);
    assertThat(result.rejections().get(0).message()).contains("does not fit in one Kafka record");
    assertThat(result.batches().get(0).entries()).extracting(LogEntry::line).containsExactly("small");
  }

  @Test
  void manyRejectionsOfOneKindInOneStreamAreOneLine() {
    PushedEntry[] old = new PushedEntry[1000];
    for (int i = 0; i < old.length; i++) {
      old[i] = at(i);
    }
    ValidatedPush result = DEFAULTS.validate("t", List.of(app(old)));

    assertThat(result.rejections()).hasSize(1);
    assertThat(result.rejections().get(0).entries()).isEqualTo(1000);
    assertThat(result.rejectionSummary()).endsWith("(1000 entries rejected)").doesNotContain("\n");
  }

  @Test
  void theSummaryListsTwentyRejectionsAndCountsTheRest() {
    List<PushedStream> streams = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      streams.add(stream(labels("bad-" + i, "x"), line("l"), line("m")));
    }
    String summary = DEFAULTS.validate("t", streams).rejectionSummary();

    assertThat(summary.lines()).hasSize(21);
    assertThat(summary).contains("bad-19").doesNotContain("bad-20")
        .endsWith("... and 5 more rejections (10 entries)");
  }

  @Test
  void aHugeLabelSetIsAbbreviatedInTheMessage() {
    ValidatedPush result = DEFAULTS.validate("t", List.of(stream(many(10_000), line("l"))));
    assertThat(result.rejections().get(0).message()).hasSizeLessThan(1200).contains("has 10000 label names; limit 15");
  }
}
