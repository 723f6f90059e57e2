package io.fjord.logql.ast;

import java.util.List;

/** {@code | json} (all fields, flattened with {@code _}) or {@code | json a="x.y", b="l[0]"}. */
public record JsonParserStage(List<LabelExtraction> extractions, Position position) implements PipelineStage {
  public JsonParserStage {
    extractions = List.copyOf(extractions);
  }
}
