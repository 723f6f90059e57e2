package io.fjord.logql.ast;

import java.util.List;

/**
 * A log query: a stream selector {@code {a="b", ...}} followed by a (possibly empty) pipeline of
 * stages applied left to right. Immutable; the lists are unmodifiable copies.
 */
public record LogSelectorExpr(List<LabelMatcher> matchers, List<PipelineStage> pipeline, Position position)
    implements Expr {
  public LogSelectorExpr {
    matchers = List.copyOf(matchers);
    pipeline = List.copyOf(pipeline);
  }

  /** True when the query is a bare selector with no pipeline stage. */
  public boolean hasPipeline() {
    return !pipeline.isEmpty();
  }
}
