package io.fjord.logql.ast;

import java.util.List;

/** {@code | drop a, b="v"}: removes labels (a matcher removes the label only when it matches). */
public record DropLabelsStage(List<LabelName> labels, Position position) implements PipelineStage {
  public DropLabelsStage {
    labels = List.copyOf(labels);
  }
}
