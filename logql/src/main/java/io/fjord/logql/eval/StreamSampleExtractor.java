package io.fjord.logql.eval;

import io.fjord.schemas.labels.Labels;

/** A {@link SampleExtractor} bound to one stream. Holds per-stream scratch state: use from one thread only. */
public interface StreamSampleExtractor {
  /**
   * The sample of one entry, or null when the pipeline (or an unwrap label filter) drops it. The
   * entry's structured metadata counts as labels, as in {@link StreamPipeline#process}.
   */
  ExtractedSample process(long timestampNanos, String line, Labels structuredMetadata);
}
