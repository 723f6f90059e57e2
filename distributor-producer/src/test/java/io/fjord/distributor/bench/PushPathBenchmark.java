package io.fjord.distributor.bench;

import io.fjord.common.config.LimitsConfig;
import io.fjord.distributor.push.PushDecoder;
import io.fjord.distributor.push.PushedStream;
import io.fjord.distributor.validation.PushValidator;
import io.fjord.distributor.validation.ValidatedPush;
import io.fjord.distributor.validation.ValidationLimits;
import io.fjord.schemas.push.PushProto;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.xerial.snappy.Snappy;

/**
 * The distributor's CPU path for one push of 10 streams x 1,000 entries of ~200-byte lines
 * (structured metadata on every fourth): decoding JSON and snappy protobuf, validating, encoding
 * the records. Run by hand (not part of the test suite):
 *
 * <pre>
 * mvn -q -o -pl distributor-producer test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp distributor-producer/target/test-classes:distributor-producer/target/classes:$(cat distributor-producer/target/cp.txt) \
 *     org.openjdk.jmh.Main PushPathBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PushPathBenchmark {
  static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  static final int STREAMS = 10;
  static final int ENTRIES = 1000;

  byte[] json;
  byte[] protobuf;
  PushDecoder decoder;
  PushValidator validator;
  List<PushedStream> decoded;
  List<StreamBatch> batches;

  @Setup
  public void setUp() throws IOException {
    Random random = new Random(42);
    long t0 = NOW.getEpochSecond() * 1_000_000_000L - 60_000_000_000L;
    StringBuilder js = new StringBuilder("{\"streams\":[");
    PushProto.PushRequest.Builder pb = PushProto.PushRequest.newBuilder();
    for (int s = 0; s < STREAMS; s++) {
      js.append(s > 0 ? "," : "").append("{\"stream\":{\"app\":\"app-").append(s)
          .append("\",\"env\":\"prod\",\"host\":\"node-").append(s % 3).append("\"},\"values\":[");
      PushProto.StreamAdapter.Builder sb = PushProto.StreamAdapter.newBuilder()
          .setLabels("{app=\"app-" + s + "\", env=\"prod\", host=\"node-" + (s % 3) + "\"}");
      for (int e = 0; e < ENTRIES; e++) {
        long ts = t0 + s * ENTRIES + e;
        String line = "level=info ts=" + ts + " caller=handler.go:" + random.nextInt(500) + " msg=\"request served\" status=200"
            + " duration=" + random.nextInt(1000) + "ms path=/api/v1/items/" + random.nextInt(100000) + " user=" + random.nextInt(1000)
            + " bytes=" + random.nextInt(100000);
        boolean meta = e % 4 == 0;
        js.append(e > 0 ? "," : "").append("[\"").append(ts).append("\",\"").append(line.replace("\"", "\\\"")).append('"');
        if (meta) {
          js.append(",{\"trace_id\":\"").append(Long.toHexString(random.nextLong())).append("\"}");
        }
        js.append(']');
        PushProto.EntryAdapter.Builder eb = PushProto.EntryAdapter.newBuilder()
            .setTimestamp(PushProto.Timestamp.newBuilder().setSeconds(ts / 1_000_000_000L).setNanos((int) (ts % 1_000_000_000L)))
            .setLine(line);
        if (meta) {
          eb.addStructuredMetadata(PushProto.LabelPairAdapter.newBuilder().setName("trace_id").setValue("abc"));
        }
        sb.addEntries(eb);
      }
      js.append("]}");
      pb.addStreams(sb);
    }
    json = js.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    protobuf = Snappy.compress(pb.build().toByteArray());
    decoder = new PushDecoder(100 << 20);
    validator = new PushValidator(ValidationLimits.from(LimitsConfig.defaults(), 1000 * 1024), Clock.fixed(NOW, ZoneOffset.UTC));
    decoded = decoder.decode(json, "application/json", null, false);
    batches = validator.validate("t", decoded).batches();
  }

  @Benchmark
  public List<PushedStream> decodeJson() {
    return decoder.decode(json, "application/json", null, false);
  }

  @Benchmark
  public List<PushedStream> decodeProtobuf() {
    return decoder.decode(protobuf, "application/x-protobuf", null, false);
  }

  @Benchmark
  public ValidatedPush validate() {
    return validator.validate("t", decoded);
  }

  @Benchmark
  public void encodeRecords(Blackhole bh) {
    for (StreamBatch b : batches) {
      bh.consume(LogRecordCodec.encodeValue(b));
    }
  }
}
