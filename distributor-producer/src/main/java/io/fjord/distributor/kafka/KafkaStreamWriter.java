package io.fjord.distributor.kafka;

import io.fjord.distributor.StreamSink;
import io.fjord.distributor.push.PushException;
import io.fjord.schemas.labels.Fingerprint;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches to the logs topic, one record per batch: key
 * {@code LogRecordCodec.encodeKey(tenant, fingerprint(labels))} (so a stream always lands on one
 * partition), value {@code LogRecordCodec.encodeValue(batch)}. {@link #write} sends every record
 * first, so they share producer batches, then waits for all acknowledgements; it returns only when
 * Kafka acknowledged each one (acks=all) and otherwise throws UNAVAILABLE with Kafka's error, within
 * about the produce timeout. Thread-safe (KafkaProducer is); {@link #close} flushes what is pending.
 */
public final class KafkaStreamWriter implements StreamSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaStreamWriter.class);
  /** Extra wait past the delivery timeout, by which Kafka has completed every future itself. */
  private static final Duration GRACE = Duration.ofSeconds(2);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Duration produceTimeout;
  private final Duration grace;

  public KafkaStreamWriter(String bootstrapServers, String topic, Duration produceTimeout, long maxRecordBytes) {
    this(bootstrapServers, topic, produceTimeout, maxRecordBytes, ProducerSettings.DEFAULT_COMPRESSION);
  }

  /** @param compression the producer's {@code compression.type} (see {@link ProducerSettings#COMPRESSIONS}) */
  public KafkaStreamWriter(String bootstrapServers, String topic, Duration produceTimeout, long maxRecordBytes,
      String compression) {
    this(new KafkaProducer<>(ProducerSettings.of(bootstrapServers, produceTimeout, maxRecordBytes, compression)), topic,
        produceTimeout, GRACE);
  }

  KafkaStreamWriter(Producer<byte[], byte[]> producer, String topic, Duration produceTimeout, Duration grace) {
    this.producer = producer;
    this.topic = topic;
    this.produceTimeout = produceTimeout;
    this.grace = grace;
  }

  /** The record a batch becomes. */
  public static ProducerRecord<byte[], byte[]> record(String topic, StreamBatch batch) {
    byte[] key = LogRecordCodec.encodeKey(batch.tenant(), Fingerprint.of(batch.labels()));
    return new ProducerRecord<>(topic, key, LogRecordCodec.encodeValue(batch));
  }

  @Override
  public void write(List<StreamBatch> batches) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(batches.size());
    try {
      for (StreamBatch batch : batches) {
        acks.add(producer.send(record(topic, batch)));
      }
    } catch (KafkaException | IllegalStateException e) {
      throw unavailable("cannot send to Kafka topic " + topic + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + produceTimeout.toNanos() + grace.toNanos();
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw unavailable("Kafka did not acknowledge the push: " + cause.getMessage(), cause);
      } catch (TimeoutException e) {
        throw unavailable("Kafka did not acknowledge the push within " + produceTimeout.toMillis() + " ms", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw unavailable("interrupted while waiting for Kafka", e);
      }
    }
  }

  private static PushException unavailable(String message, Throwable cause) {
    log.warn("{}", message);
    return new PushException(PushException.Kind.UNAVAILABLE, message, cause);
  }

  @Override
  public void close() {
    producer.close(produceTimeout);
  }
}
