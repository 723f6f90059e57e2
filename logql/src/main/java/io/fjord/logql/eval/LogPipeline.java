package io.fjord.logql.eval;

import io.fjord.logql.ast.DropLabelsStage;
import io.fjord.logql.ast.JsonParserStage;
import io.fjord.logql.ast.KeepLabelsStage;
import io.fjord.logql.ast.LabelFilterStage;
import io.fjord.logql.ast.LabelFormatStage;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.logql.ast.LogfmtParserStage;
import io.fjord.logql.ast.PatternParserStage;
import io.fjord.logql.ast.RegexpParserStage;
import io.fjord.logql.ast.PipelineStage;
import io.fjord.logql.ast.Printer;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * A log query's pipeline compiled once per query (regexes, templates and patterns are compiled
 * here, never per entry). Immutable and thread-safe: call {@link #forStream} once per stream and
 * use each {@link StreamPipeline} from one thread.
 */
public final class LogPipeline {
  private final Stage[] stages;
  private final boolean touchesLabels;

  private LogPipeline(List<Stage> stages) {
    this.stages = stages.toArray(new Stage[0]);
    boolean touches = false;
    for (Stage s : this.stages) {
      touches |= s.touchesLabels();
    }
    this.touchesLabels = touches;
  }

  /**
   * Compiles the pipeline of {@code expr}; throws {@link IllegalArgumentException} for an invalid
   * stage, with Loki's text {@code stage '| line_format "..."' : reason}.
   */
  public static LogPipeline of(LogSelectorExpr expr) {
    return of(expr.pipeline());
  }

  /** Compiles a list of stages (e.g. the stages before an unwrap). */
  public static LogPipeline of(List<PipelineStage> pipeline) {
    return of(pipeline, true);
  }

  /**
   * Compiles {@code pipeline}; with {@code filtersFirst}, line filters run as early as they can
   * (see {@link #filtersFirst}), which gives the same answers as the written order.
   */
  static LogPipeline of(List<PipelineStage> pipeline, boolean filtersFirst) {
    List<Stage> stages = new ArrayList<>(pipeline.size());
    for (PipelineStage s : pipeline) {
      try {
        stages.add(StageCompiler.compile(s));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("stage '" + Printer.print(s) + "' : " + e.getMessage(), e);
      }
    }
    return new LogPipeline(filtersFirst ? filtersFirst(pipeline, stages) : stages);
  }

  /**
   * Moves every line filter before the parsers, label filters and label stages written ahead of
   * it, up to the last stage that rewrites the line ({@code line_format}, {@code decolorize},
   * {@code unpack}), and joins adjacent line filters into one stage. A line filter reads only the
   * line, and the stages it passes never change the line and never bring back an entry they drop,
   * so the order changes no answer; but {@code |= "{" | json | status >= 500 |= "needle"} then
   * parses only the lines that hold the needle. Line filters keep their written order.
   */
  private static List<Stage> filtersFirst(List<PipelineStage> ast, List<Stage> compiled) {
    List<Stage> out = new ArrayList<>(compiled.size());
    int barrier = 0; // filters go at or after this index of out
    for (int i = 0; i < compiled.size(); i++) {
      Stage s = compiled.get(i);
      PipelineStage a = ast.get(i);
      if (s instanceof LineFilters.LineFilter lf) {
        if (barrier > 0 && out.get(barrier - 1) instanceof LineFilters.LineFilter before) {
          out.set(barrier - 1, before.then(lf));
        } else {
          out.add(barrier, lf);
          barrier++;
        }
      } else {
        out.add(s);
        if (!keepsLine(a)) {
          barrier = out.size();
        }
      }
    }
    return out;
  }

  /** True for the stages that never change the line (line filters may run before them). */
  private static boolean keepsLine(PipelineStage s) {
    return s instanceof JsonParserStage || s instanceof LogfmtParserStage || s instanceof RegexpParserStage
        || s instanceof PatternParserStage || s instanceof LabelFilterStage || s instanceof LabelFormatStage
        || s instanceof DropLabelsStage || s instanceof KeepLabelsStage;
  }

  /**
   * Compiles label filters alone, e.g. the filters after an unwrap
   * ({@link io.fjord.logql.ast.Unwrap#postFilters()}), as a pipeline of label filter stages.
   */
  public static LogPipeline ofLabelFilters(List<io.fjord.logql.ast.LabelFilter> filters) {
    List<PipelineStage> stages = new ArrayList<>(filters.size());
    for (io.fjord.logql.ast.LabelFilter f : filters) {
      stages.add(new io.fjord.logql.ast.LabelFilterStage(f, f.position()));
    }
    return of(stages);
  }

  /**
   * What a line must hold for this pipeline to keep it, from its leading line filters (those that
   * run before any stage that rewrites the line); {@link LinePrefilter#NONE} when nothing is known.
   */
  public LinePrefilter prefilter() {
    return stages.length > 0 && stages[0] instanceof LineFilters.LineFilter lf ? lf.prefilter() : LinePrefilter.NONE;
  }

  /** True when the pipeline has no stage: every entry passes unchanged. */
  public boolean isNoop() {
    return stages.length == 0;
  }

  public StreamPipeline forStream(Labels streamLabels) {
    return new Bound(streamLabels);
  }

  /** Runs every stage on {@code e} (already reset); false when a stage drops the entry. */
  boolean run(Entry e) {
    for (Stage s : stages) {
      if (!s.process(e)) {
        return false;
      }
    }
    return true;
  }

  /** True when a stage may change the labels (otherwise they stay stream labels + metadata). */
  boolean touchesLabels() {
    return touchesLabels;
  }

  /** Per-stream state: the reusable {@link Entry} and a cache of the last label set built. */
  private final class Bound implements StreamPipeline {
    private final Entry entry;
    private Labels lastMetadata = Labels.EMPTY;
    private Labels lastMerged;

    Bound(Labels streamLabels) {
      this.entry = new Entry(streamLabels);
      this.lastMerged = streamLabels;
    }

    @Override
    public LogLine process(long timestampNanos, String line, Labels structuredMetadata) {
      Entry e = entry;
      e.reset(timestampNanos, line, structuredMetadata);
      for (Stage s : stages) {
        if (!s.process(e)) {
          return null;
        }
      }
      // checked per entry, not per pipeline: a stage that leaves labels alone can still set
      // __error__ (line_format failing on one entry)
      if (e.untouched()) {
        return new LogLine(e.line, merged(e.metadata()));
      }
      return new LogLine(e.line, e.labels());
    }

    private Labels merged(Labels metadata) {
      if (metadata.isEmpty()) {
        return entry.stream;
      }
      if (metadata != lastMetadata && !metadata.equals(lastMetadata)) {
        lastMetadata = metadata;
        lastMerged = entry.stream.merge(metadata);
      }
      return lastMerged;
    }
  }
}
