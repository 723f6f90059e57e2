package io.fjord.logql.ast;

import java.util.List;

/** {@code | logfmt [--strict] [--keep-empty] [a, b="key"]}. Immutable. */
public record LogfmtParserStage(boolean strict, boolean keepEmpty, List<LabelExtraction> extractions,
    Position position) implements PipelineStage {
  public LogfmtParserStage {
    extractions = List.copyOf(extractions);
  }
}
