package io.fjord.ingester.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead-letter copy of a logs-topic record: the original key, value and headers, plus
 * headers saying why and where it came from. Stateless.
 *
 * <pre>
 * fjord.error            the reason, human-readable, e.g. "unreadable record: log record checksum mismatch"
 * fjord.error.code       a {@link DeadLetterReason} name
 * fjord.source.topic     the logs topic
 * fjord.source.partition the partition, decimal
 * fjord.source.offset    the offset, decimal
 * </pre>
 */
public final class DeadLetters {
  public static final String ERROR = "fjord.error";
  public static final String ERROR_CODE = "fjord.error.code";
  public static final String SOURCE_TOPIC = "fjord.source.topic";
  public static final String SOURCE_PARTITION = "fjord.source.partition";
  public static final String SOURCE_OFFSET = "fjord.source.offset";
  private static final int MAX_MESSAGE = 1000;

  private DeadLetters() {}

  /** The original headers (copied) with the dead-letter headers added. */
  public static Headers headers(Headers original, DeadLetterReason reason, String message, String topic,
      int partition, long offset) {
    RecordHeaders h = new RecordHeaders(original == null ? new org.apache.kafka.common.header.Header[0]
        : original.toArray());
    h.remove(ERROR).remove(ERROR_CODE).remove(SOURCE_TOPIC).remove(SOURCE_PARTITION).remove(SOURCE_OFFSET);
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
    h.add(ERROR, utf8(text));
    h.add(ERROR_CODE, utf8(reason.name()));
    h.add(SOURCE_TOPIC, utf8(topic == null ? "" : topic));
    h.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
    h.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    return h;
  }

  /** A dead-letter record for the Kafka Streams error handlers, which produce it themselves. */
  public static ProducerRecord<byte[], byte[]> producerRecord(String deadLetterTopic, byte[] key, byte[] value,
      Headers headers) {
    return new ProducerRecord<>(deadLetterTopic, null, key, value, headers);
  }

  /** The text of a header, or null. */
  public static String header(Headers headers, String name) {
    org.apache.kafka.common.header.Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
