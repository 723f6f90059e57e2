package io.fjord.querier.engine;

import io.fjord.querier.source.Entry;
import io.fjord.schemas.labels.Labels;
import java.util.List;

/** One stream of a log query's answer: its labels and its entries in the query's direction. Immutable. */
public record ResultStream(Labels labels, List<Entry> entries) {
  public ResultStream {
    entries = List.copyOf(entries);
  }
}
