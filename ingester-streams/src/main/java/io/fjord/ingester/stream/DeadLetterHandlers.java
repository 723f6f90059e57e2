package io.fjord.ingester.stream;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams error handlers of the ingester, so that no record can stop a partition: a
 * record whose processing throws unexpectedly, or whose bytes cannot be deserialized, goes to the
 * dead-letter topic (with the headers of {@link DeadLetters}) and the task moves on; a dead-letter
 * write that fails is logged and counted, and the task moves on. Kafka Streams instantiates them by
 * class name; {@link #configure} passes them the topic and the counters through the config map.
 * Each instance is used by one stream thread.
 */
public final class DeadLetterHandlers {
  static final String TOPIC_CONFIG = "fjord.dead.letter.topic";
  static final String STATS_CONFIG = "fjord.ingest.stats";
  /**
   * Kafka Streams warns at start-up unless this is set; its constant is deprecated because it
   * becomes the default in Kafka 5. We have no global stores, so the value changes nothing.
   */
  public static final String GLOBAL_HANDLER_CONFIG = "processing.exception.handler.global.enabled";
  private static final Logger log = LoggerFactory.getLogger(DeadLetterHandlers.class);

  private DeadLetterHandlers() {}

  /** Installs the three handlers in {@code props}. */
  public static void configure(Properties props, String deadLetterTopic, IngestStats stats) {
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, Processing.class.getName());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, Deserialization.class.getName());
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, Production.class.getName());
    props.put(GLOBAL_HANDLER_CONFIG, "true");
    props.put(TOPIC_CONFIG, deadLetterTopic);
    props.put(STATS_CONFIG, stats);
  }

  /** What every handler reads from the config. */
  private abstract static class Base {
    String topic;
    IngestStats stats = new IngestStats();

    public void configure(Map<String, ?> configs) {
      topic = (String) configs.get(TOPIC_CONFIG);
      if (configs.get(STATS_CONFIG) instanceof IngestStats s) {
        stats = s;
      }
      if (topic == null) {
        throw new IllegalStateException(TOPIC_CONFIG + " is not configured");
      }
    }

    List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext ctx, DeadLetterReason reason, Exception e) {
      String message = e.getClass().getSimpleName() + ": " + e.getMessage();
      log.error("partition {} offset {}: {} ({}); record sent to {}", ctx.partition(), ctx.offset(), reason, message,
          topic, e);
      stats.deadLetter(reason);
      return List.of(DeadLetters.producerRecord(topic, ctx.sourceRawKey(), ctx.sourceRawValue(),
          DeadLetters.headers(ctx.headers(), reason, message, ctx.topic(), ctx.partition(), ctx.offset())));
    }
  }

  /** An unexpected exception while processing a record: dead-letter it, continue. */
  public static final class Processing extends Base implements ProcessingExceptionHandler {
    @Override
    public Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception e) {
      return Response.resume(deadLetter(ctx, DeadLetterReason.PROCESSING_ERROR, e));
    }
  }

  /** Bytes that cannot be deserialized (cannot happen with the byte-array serdes; kept as a guard). */
  public static final class Deserialization extends Base implements DeserializationExceptionHandler {
    @Override
    public Response handleError(ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception e) {
      return Response.resume(deadLetter(ctx, DeadLetterReason.UNDESERIALIZABLE, e));
    }
  }

  /** A failed write (only dead letters are written): log, count, continue. */
  public static final class Production extends Base implements ProductionExceptionHandler {
    @Override
    public Response handleError(ErrorHandlerContext ctx, ProducerRecord<byte[], byte[]> record, Exception e) {
      log.error("could not write a dead letter for partition {} offset {} to {}: {}", ctx.partition(), ctx.offset(),
          record.topic(), e.toString());
      stats.deadLetterWriteFailed();
      return Response.resume();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext ctx, ProducerRecord record, Exception e,
        SerializationExceptionOrigin origin) {
      log.error("could not serialize a dead letter for partition {} offset {}: {}", ctx.partition(), ctx.offset(),
          e.toString());
      stats.deadLetterWriteFailed();
      return Response.resume();
    }
  }
}
