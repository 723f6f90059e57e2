package io.fjord.querier.engine;

import io.fjord.schemas.labels.Labels;
import java.util.Objects;

/** One element of an instant vector: a series' labels and its value at the evaluation time. Immutable. */
public record VectorSample(Labels labels, double value) {
  public VectorSample {
    Objects.requireNonNull(labels, "labels");
  }
}
