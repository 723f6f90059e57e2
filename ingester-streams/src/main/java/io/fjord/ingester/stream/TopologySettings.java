package io.fjord.ingester.stream;

import io.fjord.ingester.chunk.ChunkSettings;
import java.time.Duration;

/**
 * What the ingest topology needs to know: its topics, how chunks cut and seal, how often (in
 * wall-clock time) each task looks for chunks to seal and flushed chunks to drop, the per-tenant
 * stream limit, how long a flushed chunk stays in memory ({@code chunk_retain_period}), how often at
 * most a partition writes its replay checkpoint, and how long a closing task waits for its last
 * chunks to be flushed. Immutable.
 */
public record TopologySettings(String logsTopic, String deadLetterTopic, ChunkSettings chunks,
    Duration sealCheckPeriod, StreamLimit streamLimit, Duration retainPeriod, Duration checkpointInterval,
    Duration closeFlushTimeout) {

  public static final Duration DEFAULT_RETAIN = Duration.ofMinutes(1);
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_CLOSE_FLUSH_TIMEOUT = Duration.ofSeconds(10);

  /** Settings with the default retain period, checkpoint interval and close timeout. */
  public TopologySettings(String logsTopic, String deadLetterTopic, ChunkSettings chunks, Duration sealCheckPeriod,
      StreamLimit streamLimit) {
    this(logsTopic, deadLetterTopic, chunks, sealCheckPeriod, streamLimit, DEFAULT_RETAIN,
        DEFAULT_CHECKPOINT_INTERVAL, DEFAULT_CLOSE_FLUSH_TIMEOUT);
  }

  /** Settings without a stream limit. */
  public TopologySettings(String logsTopic, String deadLetterTopic, ChunkSettings chunks, Duration sealCheckPeriod) {
    this(logsTopic, deadLetterTopic, chunks, sealCheckPeriod, StreamLimit.unlimited());
  }
}
