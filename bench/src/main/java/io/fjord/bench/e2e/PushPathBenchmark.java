package io.fjord.bench.e2e;

import io.fjord.common.config.LimitsConfig;
import io.fjord.distributor.batch.RecordSplitter;
import io.fjord.distributor.kafka.KafkaStreamWriter;
import io.fjord.distributor.push.PushDecoder;
import io.fjord.distributor.push.PushedStream;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.ValidatedPush;
import io.fjord.distributor.validation.ValidationLimits;
import io.fjord.schemas.record.StreamBatch;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The distributor's CPU path for one push of the end-to-end suite: the same body the suite sends
 * ({@link BenchData} seed 42, 1000 lines of ~133 bytes, in {@code streams} streams), decoded from
 * JSON or snappy protobuf, validated, split and encoded into the logs-topic records (key and
 * value), each step alone and all of them together ({@code pushJson}, {@code pushProtobuf}: what
 * one push costs the distributor before Kafka). Average time per push, one thread; divide by 1000
 * for the cost per line.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar PushPathBenchmark   (JMH's own main: see bench/RESULTS.md)
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PushPathBenchmark {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final String TOPIC = "logs";

  /** Streams per push: the suite's 4, and many small streams, where per-stream work shows. */
  @Param({"4", "250"})
  int streams;

  byte[] json;
  byte[] protobuf;
  PushDecoder decoder;
  PushValidator validator;
  List<PushedStream> decoded;
  List<StreamBatch> batches;

  @Setup
  public void setUp() {
    long base = NOW.getEpochSecond() * 1_000_000_000L - 60_000_000_000L;
    json = PushBodies.encode(new BenchData(42, streams, base), 1000, 1000, PushBodies.Format.JSON).bodies().get(0);
    protobuf = PushBodies.encode(new BenchData(42, streams, base), 1000, 1000, PushBodies.Format.PROTOBUF)
        .bodies().get(0);
    decoder = new PushDecoder(100L << 20);
    validator = new PushValidator(ValidationLimits.from(LimitsConfig.defaults(), 1000 * 1024),
        Clock.fixed(NOW, ZoneOffset.UTC));
    decoded = decoder.decode(json, PushBodies.Format.JSON.contentType, null, false);
    ValidatedPush v = validator.validate("t", decoded);
    if (v.hasRejections() || v.lines() != 1000) {
      throw new IllegalStateException("the benchmark push must be valid: " + v.rejectionSummary());
    }
    batches = v.batches();
    List<PushedStream> fromProtobuf = decoder.decode(protobuf, PushBodies.Format.PROTOBUF.contentType, null, false);
    if (!fromProtobuf.stream().map(s -> List.of(s.labels(), s.entries())).toList()
        .equals(decoded.stream().map(s -> List.of(s.labels(), s.entries())).toList())) {
      throw new IllegalStateException("JSON and protobuf bodies must decode to the same push");
    }
  }

  @Benchmark
  public List<PushedStream> decodeJson() {
    return decoder.decode(json, PushBodies.Format.JSON.contentType, null, false);
  }

  @Benchmark
  public List<PushedStream> decodeProtobuf() {
    return decoder.decode(protobuf, PushBodies.Format.PROTOBUF.contentType, null, false);
  }

  @Benchmark
  public ValidatedPush validate() {
    return validator.validate("t", decoded);
  }

  @Benchmark
  public void encodeRecords(Blackhole bh) {
    for (StreamBatch b : batches) {
      bh.consume(KafkaStreamWriter.record(TOPIC, b));
    }
  }

  @Benchmark
  public void pushJson(Blackhole bh) {
    push(decoder.decode(json, PushBodies.Format.JSON.contentType, null, false), bh);
  }

  @Benchmark
  public void pushProtobuf(Blackhole bh) {
    push(decoder.decode(protobuf, PushBodies.Format.PROTOBUF.contentType, null, false), bh);
  }

  private void push(List<PushedStream> streams, Blackhole bh) {
    for (StreamBatch batch : validator.validate("t", streams).batches()) {
      for (StreamBatch record : RecordSplitter.split(batch, 1000 * 1024)) {
        bh.consume(KafkaStreamWriter.record(TOPIC, record));
      }
    }
  }
}
