package io.fjord.querier.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.querier.engine.ResultStream;
import io.fjord.querier.source.Entry;
import io.fjord.schemas.labels.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailServiceTest {
  private static final Labels A = Labels.of("app", "a");
  private static final Labels B = Labels.of("app", "b");

  @Test
  void messagesCarryAtMostTheMaximumEntriesAndKeepTheirOrder() {
    ResultStream a = new ResultStream(A, List.of(new Entry(1, "a1"), new Entry(2, "a2"), new Entry(3, "a3")));
    ResultStream b = new ResultStream(B, List.of(new Entry(1, "b1"), new Entry(2, "b2")));

    assertThat(TailService.batches(List.of(a, b), 2)).containsExactly(
        List.of(new ResultStream(A, List.of(new Entry(1, "a1"), new Entry(2, "a2")))),
        List.of(new ResultStream(A, List.of(new Entry(3, "a3"))), new ResultStream(B, List.of(new Entry(1, "b1")))),
        List.of(new ResultStream(B, List.of(new Entry(2, "b2")))));
  }

  @Test
  void fewerEntriesThanTheMaximumMakeOneMessageAndNoneMakeNone() {
    ResultStream a = new ResultStream(A, List.of(new Entry(1, "a1")));

    assertThat(TailService.batches(List.of(a), 100)).containsExactly(List.of(a));
    assertThat(TailService.batches(List.of(), 100)).isEmpty();
  }
}
