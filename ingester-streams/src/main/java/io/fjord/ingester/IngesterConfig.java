package io.fjord.ingester;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fjord.common.config.ByteSize;
import io.fjord.ingester.chunk.ChunkSettings;
import io.fjord.ingester.flush.FlushBackoff;
import io.fjord.schemas.chunk.ChunkCodec;
import java.net.InetAddress;
import java.time.Duration;

/**
 * The {@code ingester} section of the configuration. Names and defaults follow Loki's where the
 * concept is the same. Every field left out takes its default; the constructor refuses values that
 * cannot work and names the key. Immutable.
 *
 * @param chunkBlockSize cut the head of a chunk into a compressed block at this many line bytes
 * @param chunkTargetSize seal a chunk once its compressed blocks reach this size
 * @param chunkIdlePeriod seal a chunk that received nothing for this long
 * @param maxChunkAge seal a chunk that has been open this long
 * @param heartbeatPeriod how often the instance re-announces itself on the membership topic
 * @param instanceId this instance's id: membership key and static group member id (default: host name);
 *     must be unique among the ingesters of one cluster
 * @param applicationId the Kafka Streams application id (= consumer group)
 * @param flushCheckPeriod how often each partition looks for idle or old chunks to seal
 * @param streamThreads Kafka Streams threads (each runs some partitions' tasks)
 * @param commitInterval how often consumed offsets are committed (at-least-once)
 * @param sessionTimeout how long the group waits for a silent instance (a static member that
 *     restarts within it gets its partitions back without a rebalance)
 * @param shutdownTimeout the longest a clean shutdown waits for Kafka Streams to close
 * @param chunkEncoding the codec of flushed chunk objects (Loki's {@code chunk_encoding}; default
 *     {@code zstd}, chosen by benchmark, see bench/RESULTS.md)
 * @param concurrentFlushes how many chunks are flushed at once (Loki's default is 32; Fjord's is 4:
 *     a flush is one PUT and one small index write, mostly waiting on the store, plus the encoding,
 *     which takes a core; 4 overlap the store's latency without taking both cores of a small host
 *     from ingestion)
 * @param flushOpBackoff the backoff between attempts of a failed flush (Loki's name and defaults)
 * @param flushOpTimeout how long one flush attempt may take before it counts as failed (Loki's, 10m)
 * @param chunkRetainPeriod how long a flushed chunk stays in memory answering queries (Loki's key;
 *     Fjord's default is 1m, not Loki's 0s: the querier reads the store first and then asks the
 *     ingesters, excluding the chunks it read, so a chunk flushed in between must still be held)
 * @param maxUnflushedBytes when the compressed bytes of sealed chunks not yet flushed exceed this,
 *     the instance pauses consumption (backpressure while the store is down) until they fall below
 *     3/4 of it (Fjord's key)
 * @param replayCheckpointInterval how often, at most, each partition writes its replay checkpoint
 *     after flushes (Fjord's key)
 * @param chunkZstdLevel the zstd level of flushed chunks when {@code chunk_encoding} is {@code zstd}
 *     (Fjord's key; 1..22, default {@link ChunkCodec#DEFAULT_ZSTD_LEVEL}, chosen by benchmark)
 */
public record IngesterConfig(
    @JsonProperty("chunk_block_size") ByteSize chunkBlockSize,
    @JsonProperty("chunk_target_size") ByteSize chunkTargetSize,
    @JsonProperty("chunk_idle_period") Duration chunkIdlePeriod,
    @JsonProperty("max_chunk_age") Duration maxChunkAge,
    @JsonProperty("heartbeat_period") Duration heartbeatPeriod,
    @JsonProperty("instance_id") String instanceId,
    @JsonProperty("application_id") String applicationId,
    @JsonProperty("flush_check_period") Duration flushCheckPeriod,
    @JsonProperty("stream_threads") Integer streamThreads,
    @JsonProperty("commit_interval") Duration commitInterval,
    @JsonProperty("session_timeout") Duration sessionTimeout,
    @JsonProperty("shutdown_timeout") Duration shutdownTimeout,
    @JsonProperty("chunk_encoding") String chunkEncoding,
    @JsonProperty("concurrent_flushes") Integer concurrentFlushes,
    @JsonProperty("flush_op_backoff") FlushBackoff flushOpBackoff,
    @JsonProperty("flush_op_timeout") Duration flushOpTimeout,
    @JsonProperty("chunk_retain_period") Duration chunkRetainPeriod,
    @JsonProperty("max_unflushed_bytes") ByteSize maxUnflushedBytes,
    @JsonProperty("replay_checkpoint_interval") Duration replayCheckpointInterval,
    @JsonProperty("chunk_zstd_level") Integer chunkZstdLevel) {

  public static final String DEFAULT_APPLICATION_ID = "fjord-ingester";

  @JsonCreator
  public IngesterConfig {
    chunkBlockSize = or(chunkBlockSize, ByteSize.ofKiB(256));
    chunkTargetSize = or(chunkTargetSize, ByteSize.ofBytes(1_572_864));
    chunkIdlePeriod = or(chunkIdlePeriod, Duration.ofMinutes(30));
    maxChunkAge = or(maxChunkAge, Duration.ofHours(2));
    heartbeatPeriod = or(heartbeatPeriod, Duration.ofSeconds(5));
    instanceId = instanceId == null || instanceId.isBlank() ? hostName() : instanceId.strip();
    applicationId = applicationId == null || applicationId.isBlank() ? DEFAULT_APPLICATION_ID : applicationId.strip();
    flushCheckPeriod = or(flushCheckPeriod, Duration.ofSeconds(30));
    streamThreads = or(streamThreads, 1);
    commitInterval = or(commitInterval, Duration.ofSeconds(5));
    sessionTimeout = or(sessionTimeout, Duration.ofSeconds(45));
    shutdownTimeout = or(shutdownTimeout, Duration.ofSeconds(30));
    chunkEncoding = chunkEncoding == null || chunkEncoding.isBlank() ? ChunkCodec.DEFAULT.configName()
        : codec("chunk_encoding", chunkEncoding).configName();
    concurrentFlushes = or(concurrentFlushes, 4);
    flushOpBackoff = or(flushOpBackoff, FlushBackoff.defaults());
    flushOpTimeout = or(flushOpTimeout, Duration.ofMinutes(10));
    chunkRetainPeriod = or(chunkRetainPeriod, Duration.ofMinutes(1));
    maxUnflushedBytes = or(maxUnflushedBytes, ByteSize.ofMiB(256));
    replayCheckpointInterval = or(replayCheckpointInterval, Duration.ofSeconds(5));
    chunkZstdLevel = or(chunkZstdLevel, ChunkCodec.DEFAULT_ZSTD_LEVEL);
    try {
      ChunkCodec.checkZstdLevel(chunkZstdLevel);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ingester.chunk_zstd_level: " + e.getMessage(), e);
    }
    positive("chunk_block_size", chunkBlockSize.bytes());
    positive("chunk_target_size", chunkTargetSize.bytes());
    positive("chunk_idle_period", chunkIdlePeriod.toMillis());
    positive("max_chunk_age", maxChunkAge.toMillis());
    positive("heartbeat_period", heartbeatPeriod.toMillis());
    positive("flush_check_period", flushCheckPeriod.toMillis());
    positive("stream_threads", streamThreads);
    positive("commit_interval", commitInterval.toMillis());
    positive("session_timeout", sessionTimeout.toMillis());
    positive("shutdown_timeout", shutdownTimeout.toMillis());
    positive("concurrent_flushes", concurrentFlushes);
    positive("flush_op_timeout", flushOpTimeout.toMillis());
    if (chunkRetainPeriod.isNegative()) {
      throw new IllegalArgumentException("ingester.chunk_retain_period must not be negative");
    }
    positive("max_unflushed_bytes", maxUnflushedBytes.bytes());
    positive("replay_checkpoint_interval", replayCheckpointInterval.toMillis());
    if (chunkBlockSize.bytes() > io.fjord.schemas.chunk.ChunkFormat.MAX_BLOCK_RAW_SIZE) {
      throw new IllegalArgumentException("ingester.chunk_block_size must be at most "
          + io.fjord.schemas.chunk.ChunkFormat.MAX_BLOCK_RAW_SIZE + " bytes");
    }
  }

  /** As the canonical constructor with the default {@code chunk_zstd_level}. */
  public IngesterConfig(ByteSize chunkBlockSize, ByteSize chunkTargetSize, Duration chunkIdlePeriod,
      Duration maxChunkAge, Duration heartbeatPeriod, String instanceId, String applicationId,
      Duration flushCheckPeriod, Integer streamThreads, Duration commitInterval, Duration sessionTimeout,
      Duration shutdownTimeout, String chunkEncoding, Integer concurrentFlushes, FlushBackoff flushOpBackoff,
      Duration flushOpTimeout, Duration chunkRetainPeriod, ByteSize maxUnflushedBytes,
      Duration replayCheckpointInterval) {
    this(chunkBlockSize, chunkTargetSize, chunkIdlePeriod, maxChunkAge, heartbeatPeriod, instanceId, applicationId,
        flushCheckPeriod, streamThreads, commitInterval, sessionTimeout, shutdownTimeout, chunkEncoding,
        concurrentFlushes, flushOpBackoff, flushOpTimeout, chunkRetainPeriod, maxUnflushedBytes,
        replayCheckpointInterval, null);
  }

  public static IngesterConfig defaults() {
    return new IngesterConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
  }

  /** This config with another instance id (tests run several instances on one host). */
  public IngesterConfig withInstanceId(String id) {
    return new IngesterConfig(chunkBlockSize, chunkTargetSize, chunkIdlePeriod, maxChunkAge, heartbeatPeriod, id,
        applicationId, flushCheckPeriod, streamThreads, commitInterval, sessionTimeout, shutdownTimeout,
        chunkEncoding, concurrentFlushes, flushOpBackoff, flushOpTimeout, chunkRetainPeriod, maxUnflushedBytes,
        replayCheckpointInterval, chunkZstdLevel);
  }

  /** The codec flushed chunks are written with. */
  public ChunkCodec codec() {
    return ChunkCodec.parse(chunkEncoding);
  }

  private static ChunkCodec codec(String key, String name) {
    try {
      return ChunkCodec.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ingester." + key + ": " + e.getMessage(), e);
    }
  }

  ChunkSettings chunkSettings() {
    return new ChunkSettings(chunkBlockSize.bytes(), chunkTargetSize.bytes(), chunkIdlePeriod, maxChunkAge);
  }

  /** The static consumer-group member id: the instance id with characters Kafka refuses replaced. */
  String groupInstanceId() {
    String id = instanceId.replaceAll("[^a-zA-Z0-9._-]", "_");
    return id.length() > 200 ? id.substring(0, 200) : id;
  }

  private static void positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("ingester." + key + " must be positive");
    }
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "fjord-ingester";
    }
  }
}
