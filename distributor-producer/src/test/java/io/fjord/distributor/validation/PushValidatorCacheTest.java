package io.fjord.distributor.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.config.LimitsConfig;
import io.fjord.distributor.push.LabelPair;
import io.fjord.distributor.push.PushedEntry;
import io.fjord.distributor.push.PushedStream;
import io.fjord.schemas.labels.Labels;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator's cache of label sets that passed: same outcome as without it, less work. */
class PushValidatorCacheTest {
  static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  static final long RECENT = NOW.getEpochSecond() * 1_000_000_000L - 60_000_000_000L;

  private final PushValidator validator = new PushValidator(
      ValidationLimits.from(LimitsConfig.defaults(), 1000 * 1024), Clock.fixed(NOW, ZoneOffset.UTC));

  private static PushedStream stream(List<LabelPair> labels, String line) {
    return PushedStream.of(labels, List.of(new PushedEntry(RECENT, line)));
  }

  @Test
  void aRepeatedLabelSetIsValidatedOnceAndGivesTheSameCanonicalLabels() {
    // pushed unsorted: the canonical form is sorted by name
    ValidatedPush first = validator.validate("t", List.of(stream(
        List.of(new LabelPair("zone", "a"), new LabelPair("app", "api")), "one")));
    ValidatedPush second = validator.validate("t", List.of(stream(
        List.of(new LabelPair("zone", "a"), new LabelPair("app", "api")), "two")));

    assertThat(first.batches().get(0).labels()).isEqualTo(Labels.of("app", "api", "zone", "a"));
    assertThat(second.batches().get(0).labels()).isSameAs(first.batches().get(0).labels());
    assertThat(second.batches().get(0).entries().get(0).line()).isEqualTo("two");
  }

  @Test
  void anInvalidLabelSetIsRejectedEveryTimeItIsPushed() {
    List<LabelPair> bad = List.of(new LabelPair("app", "api"), new LabelPair("app", "web"));
    for (int i = 0; i < 3; i++) {
      ValidatedPush push = validator.validate("t", List.of(stream(bad, "line " + i)));
      assertThat(push.batches()).isEmpty();
      assertThat(push.rejections()).singleElement()
          .satisfies(r -> assertThat(r.reason()).isEqualTo(RejectionReason.DUPLICATE_LABEL_NAMES));
    }
  }

  @Test
  void theSamePairsInAnotherOrderAreTheSameStream() {
    ValidatedPush push = validator.validate("t", List.of(
        stream(List.of(new LabelPair("a", "1"), new LabelPair("b", "2")), "x"),
        stream(List.of(new LabelPair("b", "2"), new LabelPair("a", "1")), "y")));
    assertThat(push.batches()).singleElement()
        .satisfies(b -> assertThat(b.entries()).extracting(e -> e.line()).containsExactly("x", "y"));
  }

  @Test
  void aLongLabelSetIsValidatedEveryTimeRatherThanCached() {
    List<LabelPair> longSet = List.of(new LabelPair("app", "v".repeat(PushValidator.MAX_CACHED_CHARS)));
    ValidatedPush first = validator.validate("t", List.of(stream(longSet, "a")));
    ValidatedPush second = validator.validate("t", List.of(stream(longSet, "b")));
    assertThat(second.batches().get(0).labels()).isEqualTo(first.batches().get(0).labels())
        .isNotSameAs(first.batches().get(0).labels());
    assertThat(validator.cachedLabelSets()).isZero();
  }

  @Test
  void holdsAtMostItsCapacityOfLabelSets() {
    for (int i = 0; i < PushValidator.CACHE_SIZE + 50; i++) {
      ValidatedPush push = validator.validate("t", List.of(stream(List.of(new LabelPair("n", "v" + i)), "l")));
      assertThat(push.batches().get(0).labels()).isEqualTo(Labels.of("n", "v" + i));
    }
    assertThat(validator.cachedLabelSets()).isBetween(1, PushValidator.CACHE_SIZE);
  }
}
