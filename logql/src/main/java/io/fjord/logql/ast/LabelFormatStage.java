package io.fjord.logql.ast;

import java.util.List;

/** {@code | label_format dst=src, dst2="{{.a}}"}. Immutable. */
public record LabelFormatStage(List<Rule> rules, Position position) implements PipelineStage {
  public LabelFormatStage {
    rules = List.copyOf(rules);
  }

  /**
   * One rule: a rename {@code dst=src} (the source label is removed) when {@code template} is false,
   * otherwise {@code dst="template"} (labels it reads are kept).
   */
  public record Rule(String destination, String source, boolean template, Position position) {}
}
