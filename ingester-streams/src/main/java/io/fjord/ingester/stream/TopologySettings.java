package io.fjord.ingester.stream;

import io.fjord.ingester.chunk.ChunkSettings;
import java.time.Duration;

/**
 * What the ingest topology needs to know: its topics, how chunks cut and seal, how often (in
 * wall-clock time) each task looks for chunks to seal, and the per-tenant stream limit. Immutable.
 */
public record TopologySettings(String logsTopic, String deadLetterTopic, ChunkSettings chunks,
    Duration sealCheckPeriod, StreamLimit streamLimit) {

  /** Settings without a stream limit. */
  public TopologySettings(String logsTopic, String deadLetterTopic, ChunkSettings chunks, Duration sealCheckPeriod) {
    this(logsTopic, deadLetterTopic, chunks, sealCheckPeriod, StreamLimit.unlimited());
  }
}
