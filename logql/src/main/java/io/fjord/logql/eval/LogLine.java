package io.fjord.logql.eval;

import io.fjord.schemas.labels.Labels;

/** An entry after the pipeline: its (possibly rewritten) line and its full label set. Immutable. */
public record LogLine(String line, Labels labels) {}
