package io.fjord.distributor;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fjord.common.config.ByteSize;
import io.fjord.distributor.kafka.ProducerSettings;
import java.time.Duration;

/**
 * The {@code distributor} section of the configuration: how large a push may be and how long the
 * distributor waits for Kafka. Per-tenant limits (rates, line sizes, label rules) live in
 * {@code limits_config} instead. Every field left out takes its default; the constructor rejects
 * nonsensical values naming the key. Immutable.
 *
 * @param maxRequestBodySize largest request body as sent (compressed); larger bodies get a 413
 * @param maxDecompressedBodySize largest body after gzip/deflate/snappy decompression; enforced while
 *     decompressing, so a compression bomb is cut off early with a 413
 * @param produceTimeout how long a push may wait for Kafka to acknowledge its records before it is
 *     answered 503 (sets the producer's {@code delivery.timeout.ms} and {@code max.block.ms})
 * @param maxRecordSize largest value of one Kafka record; a stream whose entries of one push do not
 *     fit is split into several records. The default stays under Kafka's default 1 MiB
 *     {@code max.request.size} / {@code message.max.bytes} with room for the key and batch header.
 * @param kafkaCompression how the producer compresses record batches: none, gzip, snappy, lz4 or
 *     zstd. lz4 (the default) keeps the Kafka log ~2.4× smaller than the raw lines; none saves the
 *     CPU of compressing and decompressing (~7% of {@code fjord all}'s per line) where disk is cheap.
 */
public record DistributorConfig(
    @JsonProperty("max_request_body_size") ByteSize maxRequestBodySize,
    @JsonProperty("max_decompressed_body_size") ByteSize maxDecompressedBodySize,
    @JsonProperty("produce_timeout") Duration produceTimeout,
    @JsonProperty("max_record_size") ByteSize maxRecordSize,
    @JsonProperty("kafka_compression") String kafkaCompression) {

  /** Smallest {@code max_record_size} accepted: room for a tenant, a label set and a few lines. */
  static final long MIN_RECORD_SIZE = 16 * 1024;

  public DistributorConfig {
    maxRequestBodySize = maxRequestBodySize != null ? maxRequestBodySize : ByteSize.ofMiB(10);
    maxDecompressedBodySize = maxDecompressedBodySize != null ? maxDecompressedBodySize : ByteSize.ofMiB(100);
    produceTimeout = produceTimeout != null ? produceTimeout : Duration.ofSeconds(10);
    maxRecordSize = maxRecordSize != null ? maxRecordSize : ByteSize.ofKiB(1000);
    kafkaCompression = kafkaCompression != null ? kafkaCompression : ProducerSettings.DEFAULT_COMPRESSION;
    require(maxRequestBodySize.bytes() > 0, "max_request_body_size", "must be positive");
    require(maxDecompressedBodySize.bytes() > 0, "max_decompressed_body_size", "must be positive");
    require(maxDecompressedBodySize.bytes() <= Integer.MAX_VALUE, "max_decompressed_body_size", "must be below 2GB");
    require(maxRequestBodySize.bytes() <= Integer.MAX_VALUE, "max_request_body_size", "must be below 2GB");
    require(!produceTimeout.isNegative() && !produceTimeout.isZero(), "produce_timeout", "must be positive");
    require(produceTimeout.toMillis() <= Integer.MAX_VALUE, "produce_timeout", "is too long");
    require(maxRecordSize.bytes() >= MIN_RECORD_SIZE, "max_record_size", "must be at least 16KB");
    require(maxRecordSize.bytes() <= 256L * 1024 * 1024, "max_record_size", "must be at most 256MB");
    require(ProducerSettings.COMPRESSIONS.contains(kafkaCompression), "kafka_compression",
        "must be one of none, gzip, snappy, lz4, zstd (got \"" + kafkaCompression + "\")");
  }

  /** The four sizes and the timeout, with the default compression. */
  public DistributorConfig(ByteSize maxRequestBodySize, ByteSize maxDecompressedBodySize, Duration produceTimeout,
      ByteSize maxRecordSize) {
    this(maxRequestBodySize, maxDecompressedBodySize, produceTimeout, maxRecordSize, null);
  }

  public static DistributorConfig defaults() {
    return new DistributorConfig(null, null, null, null, null);
  }

  private static void require(boolean ok, String key, String why) {
    if (!ok) {
      throw new IllegalArgumentException("distributor." + key + " " + why);
    }
  }
}
