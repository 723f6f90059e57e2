package io.fjord.querier.source.store;

import io.fjord.schemas.labels.Labels;
import io.fjord.store.index.ChunkRef;
import java.util.List;

/**
 * The flushed chunks of one stream that a query selected: its tenant, its labels and its chunks,
 * ordered by start time (then end time, then key), possibly overlapping one another. Immutable.
 */
record StreamChunks(String tenant, Labels labels, List<ChunkRef> chunks) {
  StreamChunks {
    chunks = List.copyOf(chunks);
  }
}
