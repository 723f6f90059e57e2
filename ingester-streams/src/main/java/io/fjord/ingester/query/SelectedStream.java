package io.fjord.ingester.query;

import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.schemas.labels.Labels;

/** A stream a query selected: its tenant, its labels and its memory. Immutable reference holder. */
record SelectedStream(String tenant, Labels labels, StreamMemory memory) {}
