package io.fjord.querier.source.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which partitions a set of answers covers and where each is taken from: pure logic. */
class CoverageTest {

  @Test
  void answersThatTogetherListEveryPartitionAreComplete() {
    Coverage c = Coverage.of(4, List.of(List.of(0, 1), List.of(1, 2, 3)));

    assertThat(c.known()).isTrue();
    assertThat(c.complete()).isTrue();
    assertThat(c.missing()).isEmpty();
    // partition 1 is moving: both list it, it is taken from the first answer
    assertThat(c.ownerOf(0)).isZero();
    assertThat(c.ownerOf(1)).isZero();
    assertThat(c.ownerOf(2)).isEqualTo(1);
    assertThat(c.ownerOf(3)).isEqualTo(1);
  }

  @Test
  void partitionsNoAnswerListsAreMissing() {
    // the owner of 1 and 3 died (its answer is not there); the survivor still replays them
    Coverage c = Coverage.of(4, List.of(List.of(0), List.of(2)));

    assertThat(c.known()).isTrue();
    assertThat(c.complete()).isFalse();
    assertThat(c.missing()).containsExactly(1, 3);
    assertThat(c.ownerOf(1)).isNull();
  }

  @Test
  void noAnswerAtAllMissesEveryPartition() {
    Coverage c = Coverage.of(3, List.of());

    assertThat(c.complete()).isFalse();
    assertThat(c.missing()).containsExactly(0, 1, 2);
  }

  @Test
  void anUnknownPartitionCountCannotBeJudged() {
    Coverage noCount = Coverage.of(0, List.of(List.of(0, 1)));

    assertThat(noCount.known()).isFalse();
    assertThat(noCount.complete()).isFalse();
    assertThat(noCount.missing()).isEmpty();
    assertThat(noCount.ownerOf(1)).isZero();
  }

  @Test
  void anAnswerWithoutItsPartitionsCoversNothingButIsNoted() {
    // an older ingester answers without partitions
    Coverage short1 = Coverage.of(2, Arrays.asList(List.of(0), null));
    assertThat(short1.known()).isTrue();
    assertThat(short1.unlisted()).isTrue();
    assertThat(short1.complete()).isFalse();
    assertThat(short1.missing()).containsExactly(1);

    Coverage covered = Coverage.of(2, Arrays.asList(null, List.of(1, 0)));
    assertThat(covered.unlisted()).isTrue();
    assertThat(covered.complete()).isTrue();
    assertThat(covered.ownerOf(0)).isEqualTo(1);
  }

  @Test
  void partitionsBeyondTheCountAreOwnedButNotRequired() {
    // the topic grew after the count was read: partition 2 is new
    Coverage c = Coverage.of(2, List.of(List.of(1, 2), List.of(0)));

    assertThat(c.complete()).isTrue();
    assertThat(c.ownerOf(2)).isZero();
    assertThat(c.ownerOf(0)).isEqualTo(1);
  }
}
