package io.fjord.logql.ast;

/** One stage of a log pipeline, written after the stream selector. Implementations are records. */
public sealed interface PipelineStage
    permits LineFilterStage, LabelFilterStage, JsonParserStage, LogfmtParserStage, RegexpParserStage,
        PatternParserStage, UnpackParserStage, LineFormatStage, LabelFormatStage, DropLabelsStage,
        KeepLabelsStage, DecolorizeStage {
  Position position();
}
