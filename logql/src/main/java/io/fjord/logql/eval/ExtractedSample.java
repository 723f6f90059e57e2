package io.fjord.logql.eval;

import io.fjord.schemas.labels.Labels;

/**
 * One entry's sample: the labels of the series it belongs to (grouped, or complete with
 * {@code __error__} when extraction failed) and its value. Immutable.
 */
public record ExtractedSample(Labels labels, double value) {
  /** The value of {@code __error__}, or null when the sample is not in error. */
  public String error() {
    return labels.get("__error__");
  }
}
