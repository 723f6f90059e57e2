package io.fjord.logql.eval;

import io.fjord.logql.ast.LineFilterStage;
import io.fjord.logql.ast.PipelineStage;

/** Turns one AST stage into its executable {@link Stage}. Stateless, thread-safe. */
final class StageCompiler {
  private StageCompiler() {}

  static Stage compile(PipelineStage stage) {
    if (stage instanceof LineFilterStage lf) {
      return LineFilters.compile(lf);
    }
    throw new IllegalArgumentException("pipeline stage not supported yet: " + stage.getClass().getSimpleName());
  }
}
