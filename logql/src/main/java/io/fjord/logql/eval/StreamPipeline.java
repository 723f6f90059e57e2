package io.fjord.logql.eval;

import io.fjord.schemas.labels.Labels;

/** The pipeline bound to one stream. Holds per-stream scratch state: use from one thread only. */
public interface StreamPipeline {
  /**
   * The entry after the pipeline, or null when a stage drops it. labels = stream labels merged
   * with structured metadata (+ labels the pipeline adds, including {@code __error__} and
   * {@code __error_details__} when a stage failed).
   */
  LogLine process(long timestampNanos, String line, Labels structuredMetadata);
}
