package io.fjord.logql.eval;

import io.fjord.logql.ast.DecolorizeStage;
import io.fjord.logql.ast.DropLabelsStage;
import io.fjord.logql.ast.JsonParserStage;
import io.fjord.logql.ast.KeepLabelsStage;
import io.fjord.logql.ast.LabelFilterStage;
import io.fjord.logql.ast.LabelFormatStage;
import io.fjord.logql.ast.LineFilterStage;
import io.fjord.logql.ast.LineFormatStage;
import io.fjord.logql.ast.LogfmtParserStage;
import io.fjord.logql.ast.PatternParserStage;
import io.fjord.logql.ast.PipelineStage;
import io.fjord.logql.ast.RegexpParserStage;
import io.fjord.logql.ast.UnpackParserStage;

/**
 * Turns one AST stage into its executable {@link Stage}; throws {@link IllegalArgumentException}
 * when the stage cannot be built (bad regex, template or pattern). Stateless, thread-safe.
 */
final class StageCompiler {
  private StageCompiler() {}

  static Stage compile(PipelineStage stage) {
    if (stage instanceof LineFilterStage lf) {
      return LineFilters.compile(lf);
    }
    if (stage instanceof LabelFilterStage l) {
      return LabelFilters.stage(l.filter());
    }
    if (stage instanceof JsonParserStage j) {
      return new JsonParser(j);
    }
    if (stage instanceof LogfmtParserStage l) {
      return new LogfmtParser(l);
    }
    if (stage instanceof RegexpParserStage r) {
      return new RegexpParser(r.regex());
    }
    if (stage instanceof PatternParserStage p) {
      return new PatternParser(p.pattern());
    }
    if (stage instanceof UnpackParserStage) {
      return new UnpackParser();
    }
    if (stage instanceof LineFormatStage l) {
      return Formatters.lineFormat(l.template());
    }
    if (stage instanceof LabelFormatStage l) {
      return Formatters.labelFormat(l);
    }
    if (stage instanceof DropLabelsStage d) {
      return LabelStages.drop(d.labels());
    }
    if (stage instanceof KeepLabelsStage k) {
      return LabelStages.keep(k.labels());
    }
    if (stage instanceof DecolorizeStage) {
      return LabelStages.decolorize();
    }
    throw new IllegalArgumentException("unknown pipeline stage " + stage);
  }
}
