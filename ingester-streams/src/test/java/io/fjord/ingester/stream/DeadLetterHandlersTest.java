package io.fjord.ingester.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetterHandlersTest {
  final IngestStats stats = new IngestStats();

  Map<String, Object> configs() {
    Properties props = new Properties();
    DeadLetterHandlers.configure(props, "logs-dlq", stats);
    Map<String, Object> m = new java.util.HashMap<>();
    props.forEach((k, v) -> m.put((String) k, v));
    return m;
  }

  static ErrorHandlerContext context(Headers headers) {
    return new ErrorHandlerContext() {
      @Override public String topic() { return "logs"; }
      @Override public int partition() { return 3; }
      @Override public long offset() { return 77; }
      @Override public Headers headers() { return headers; }
      @Override public String processorNodeId() { return "ingest"; }
      @Override public TaskId taskId() { return new TaskId(0, 3); }
      @Override public long timestamp() { return 0; }
      @Override public byte[] sourceRawKey() { return "key".getBytes(); }
      @Override public byte[] sourceRawValue() { return "value".getBytes(); }
    };
  }

  @Test
  void anUnexpectedProcessingErrorDeadLettersTheRawRecordAndContinues() {
    DeadLetterHandlers.Processing handler = new DeadLetterHandlers.Processing();
    handler.configure(configs());

    ProcessingExceptionHandler.Response r = handler.handleError(context(new RecordHeaders()),
        new Record<>("k", "v", 0), new IllegalStateException("bug"));

    assertThat(r.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    assertThat(r.deadLetterQueueRecords()).singleElement().satisfies(dl -> {
      assertThat(dl.topic()).isEqualTo("logs-dlq");
      assertThat(dl.key()).isEqualTo("key".getBytes());
      assertThat(dl.value()).isEqualTo("value".getBytes());
      assertThat(DeadLetters.header(dl.headers(), DeadLetters.ERROR)).isEqualTo("IllegalStateException: bug");
      assertThat(DeadLetters.header(dl.headers(), DeadLetters.ERROR_CODE)).isEqualTo("PROCESSING_ERROR");
      assertThat(DeadLetters.header(dl.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("3");
      assertThat(DeadLetters.header(dl.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("77");
    });
    assertThat(stats.deadLetters(DeadLetterReason.PROCESSING_ERROR)).isEqualTo(1);
  }

  @Test
  void aFailedDeadLetterWriteIsCountedAndSkipped() {
    DeadLetterHandlers.Production handler = new DeadLetterHandlers.Production();
    handler.configure(configs());

    ProductionExceptionHandler.Response r = handler.handleError(context(new RecordHeaders()),
        new ProducerRecord<>("logs-dlq", new byte[0], new byte[0]), new RecordTooLargeException("too big"));

    assertThat(r.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    assertThat(stats.deadLetterWriteFailures()).isEqualTo(1);
  }

  @Test
  void theDeadLetterHeadersReplaceStaleOnesAndKeepTheRest() {
    RecordHeaders original = new RecordHeaders();
    original.add("trace", "t1".getBytes());
    original.add(DeadLetters.ERROR, "an older error".getBytes());

    Headers h = DeadLetters.headers(original, DeadLetterReason.NO_VALUE, "record has no value", "logs", 1, 2);

    assertThat(h.headers(DeadLetters.ERROR)).hasSize(1);
    assertThat(DeadLetters.header(h, DeadLetters.ERROR)).isEqualTo("record has no value");
    assertThat(DeadLetters.header(h, "trace")).isEqualTo("t1");
    assertThat(DeadLetters.header(original, DeadLetters.ERROR)).isEqualTo("an older error");
  }
}
