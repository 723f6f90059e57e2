package io.fjord.distributor.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fjord.distributor.push.PushException;
import io.fjord.schemas.labels.Fingerprint;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The adapter's send-then-wait logic against Kafka's own MockProducer (the broker is tested elsewhere). */
class KafkaStreamWriterTest {
  private static final List<StreamBatch> BATCHES = List.of(
      new StreamBatch("t", Labels.of("app", "a"), List.of(new LogEntry(1, "one"))),
      new StreamBatch("t", Labels.of("app", "b"), List.of(new LogEntry(2, "two"))),
      new StreamBatch("u", Labels.of("app", "a"), List.of(new LogEntry(3, "three"))));

  private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Test
  void writesOneRecordPerBatchKeyedByTenantAndFingerprint() {
    MockProducer<byte[], byte[]> producer = producer(true);
    new KafkaStreamWriter(producer, "logs", Duration.ofSeconds(5), Duration.ZERO).write(BATCHES);

    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(sent).hasSize(3);
    for (int i = 0; i < 3; i++) {
      StreamBatch b = BATCHES.get(i);
      assertThat(sent.get(i).topic()).isEqualTo("logs");
      assertThat(sent.get(i).key()).isEqualTo(LogRecordCodec.encodeKey(b.tenant(), Fingerprint.of(b.labels())));
      assertThat(LogRecordCodec.decodeValue(sent.get(i).value())).isEqualTo(b);
    }
  }

  @Test
  void sendsEveryRecordBeforeWaitingAndReturnsOnlyWhenAllAreAcknowledged() {
    MockProducer<byte[], byte[]> producer = producer(false);
    KafkaStreamWriter writer = new KafkaStreamWriter(producer, "logs", Duration.ofSeconds(30), Duration.ZERO);

    CompletableFuture<Void> write = CompletableFuture.runAsync(() -> writer.write(BATCHES));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 3);
    producer.completeNext();
    producer.completeNext();
    assertThat(write).isNotDone();
    producer.completeNext();

    await().atMost(Duration.ofSeconds(10)).until(write::isDone);
    assertThat(write).isCompleted();
  }

  @Test
  void aFailedRecordMakesTheWriteUnavailableWithKafkasError() {
    MockProducer<byte[], byte[]> producer = producer(false);
    KafkaStreamWriter writer = new KafkaStreamWriter(producer, "logs", Duration.ofSeconds(30), Duration.ZERO);

    CompletableFuture<Void> write = CompletableFuture.runAsync(() -> writer.write(BATCHES));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 3);
    producer.completeNext();
    producer.errorNext(new TimeoutException("Expiring 1 record(s) for logs-3: 2000 ms has passed since batch creation"));
    producer.completeNext();

    assertThat(write).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.UNAVAILABLE))
        .withMessageContaining("Kafka did not acknowledge the push: Expiring 1 record(s)");
  }

  @Test
  void aSendThatThrowsMakesTheWriteUnavailable() {
    MockProducer<byte[], byte[]> producer = producer(true);
    producer.sendException = new NetworkException("connection refused");

    assertThatThrownBy(() -> new KafkaStreamWriter(producer, "logs", Duration.ofSeconds(1), Duration.ZERO).write(BATCHES))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.UNAVAILABLE))
        .hasMessageContaining("connection refused");
  }

  @Test
  void anAcknowledgementThatNeverComesMakesTheWriteUnavailable() {
    MockProducer<byte[], byte[]> producer = producer(false);

    assertThatThrownBy(() -> new KafkaStreamWriter(producer, "logs", Duration.ofMillis(50), Duration.ZERO).write(BATCHES))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.UNAVAILABLE))
        .hasMessage("Kafka did not acknowledge the push within 50 ms");
  }

  @Test
  void producerSettingsAreDurableBatchedAndBoundedByTheProduceTimeout() {
    Properties p = ProducerSettings.of("127.0.0.1:9", Duration.ofSeconds(10), 1000 * 1024);

    assertThat(p).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
        .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024)
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000)
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)
        .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    // a record of the largest allowed value still fits a request
    assertThat((Integer) p.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)).isGreaterThan(1000 * 1024);
    // Kafka accepts the combination (delivery >= linger + request), or the producer would not start
    new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(p).close(Duration.ZERO);
  }

  @Test
  void theCompressionIsConfigurableAmongKafkasCodecsOnly() {
    Properties none = ProducerSettings.of("127.0.0.1:9", Duration.ofSeconds(10), 1000 * 1024, "none");
    assertThat(none).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none")
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(none).close(Duration.ZERO);
    assertThatThrownBy(() -> ProducerSettings.of("127.0.0.1:9", Duration.ofSeconds(10), 1000 * 1024, "brotli"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brotli");
  }
}
