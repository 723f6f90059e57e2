package io.fjord.distributor.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The logs-topic producer's configuration, in one place: durable (acks=all, idempotent, so
 * retries neither lose nor duplicate nor reorder), batched for throughput (256 KiB batches;
 * {@code distributor.kafka_compression}, lz4 by default: compressing, the broker's validation and the
 * ingester's decompression cost ~7% of fjord all's CPU per line, and "none" saves that for ~2.4× the
 * Kafka log on disk, bench/RESULTS.md)
 * without lingering: a push waits for its acknowledgement, so a linger is paid by every push in
 * full (5 ms halved one client's throughput in bench/RESULTS.md); records of concurrent pushes
 * still share batches while a request is in flight. Bounded in time by the produce timeout: {@code delivery.timeout.ms} = timeout
 * (a record is acknowledged or failed by then), {@code max.block.ms} = timeout (metadata
 * or buffer waits in send), {@code request.timeout.ms} = timeout - linger (Kafka requires
 * delivery ≥ linger + request). {@code max.request.size} leaves room above the record cap for the
 * key and batch header. Stateless.
 */
public final class ProducerSettings {
  static final int LINGER_MS = 0;
  static final int BATCH_SIZE = 256 * 1024;
  /** Room for the key, the record and batch headers above the largest value. */
  static final int REQUEST_OVERHEAD = 64 * 1024;

  private ProducerSettings() {}

  /** The codecs Kafka's producer offers ({@code compression.type}). */
  public static final java.util.Set<String> COMPRESSIONS = java.util.Set.of("none", "gzip", "snappy", "lz4", "zstd");
  /** The default codec: cheap to compress, and the Kafka log (the WAL) stores ~2.4× less than raw. */
  public static final String DEFAULT_COMPRESSION = "lz4";

  public static Properties of(String bootstrapServers, Duration produceTimeout, long maxRecordBytes) {
    return of(bootstrapServers, produceTimeout, maxRecordBytes, DEFAULT_COMPRESSION);
  }

  /** @param compression one of {@link #COMPRESSIONS} */
  public static Properties of(String bootstrapServers, Duration produceTimeout, long maxRecordBytes,
      String compression) {
    if (!COMPRESSIONS.contains(compression)) {
      throw new IllegalArgumentException("unknown Kafka compression " + compression + ", expected one of " + COMPRESSIONS);
    }
    int timeoutMs = (int) Math.max(produceTimeout.toMillis(), LINGER_MS + 1);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "fjord-distributor");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE);
    p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs - LINGER_MS);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.min(Integer.MAX_VALUE, maxRecordBytes + REQUEST_OVERHEAD));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }
}
