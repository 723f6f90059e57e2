package io.fjord.logql.ast;

import java.util.List;

/** {@code | keep a, b="v"}: keeps only these labels (and the error labels). Immutable. */
public record KeepLabelsStage(List<LabelName> labels, Position position) implements PipelineStage {
  public KeepLabelsStage {
    labels = List.copyOf(labels);
  }
}
