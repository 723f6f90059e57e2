package io.fjord.bench.query;

import io.fjord.logql.LogQL;
import io.fjord.logql.eval.LogLine;
import io.fjord.logql.eval.LogPipeline;
import io.fjord.logql.eval.StreamPipeline;
import io.fjord.schemas.labels.Labels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One pass of a log query's pipeline over {@link #LINES} benchmark lines (one stream, no structured
 * metadata), as the ingester and the store reader run it per entry: line filters (substring,
 * case-insensitive, regex with literals, {@code or}), json and logfmt parsers, label filters. The
 * score is milliseconds per pass; MB/s = {@link QueryLines#bytes()} ÷ score (13.4 MB for the
 * seed and line count used here).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class LogPipelineBenchmark {
  static final int LINES = 100_000;
  static final Labels STREAM = Labels.of("app", "bench", "env", "prod", "stream", "s0");

  @Param({
      "|= \"needle\"",
      "|= \"needle\" |= \"found\"",
      "|= \"needle\" or \"timeout\"",
      "!= \"healthz\" != \"metrics\"",
      "|~ \"needle\"",
      "|~ \"(?i)NEEDLE\"",
      "|~ \"needle|upstream timeout [0-9]\"",
      "|~ \"upstream timeout [0-9]+ms\"",
      "|~ \"(?i)(error|fatal)\"",
      "|= \"{\" | json | status >= 500 |= \"needle\"",
      "| logfmt | level=\"error\" |= \"needle\"",
      "| json",
      "| logfmt",
      "| json | status >= 500",
      "| logfmt | level=~\"err.*\" | dur > 500ms",
  })
  public String pipeline;

  private String[] lines;
  private StreamPipeline bound;

  @Setup(Level.Trial)
  public void setUp() {
    lines = QueryLines.generate(42, LINES).lines();
    bound = LogPipeline.of(LogQL.parseSelector("{app=\"bench\"} " + pipeline)).forStream(STREAM);
  }

  @Benchmark
  public int scan() {
    int kept = 0;
    StreamPipeline p = bound;
    long ts = 0;
    for (String line : lines) {
      LogLine out = p.process(ts++, line, Labels.EMPTY);
      if (out != null) {
        kept++;
      }
    }
    return kept;
  }
}
