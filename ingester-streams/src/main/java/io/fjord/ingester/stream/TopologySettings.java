package io.fjord.ingester.stream;

import io.fjord.ingester.chunk.ChunkSettings;
import java.time.Duration;

/**
 * What the ingest topology needs to know: its topics, how chunks cut and seal, and how often (in
 * wall-clock time) each task looks for chunks to seal. Immutable.
 */
public record TopologySettings(String logsTopic, String deadLetterTopic, ChunkSettings chunks,
    Duration sealCheckPeriod) {}
