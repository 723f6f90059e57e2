package io.fjord.bench.query;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.Expr;
import io.fjord.logql.ast.RangeAggregationExpr;
import io.fjord.logql.ast.VectorAggregationExpr;
import io.fjord.logql.eval.ExtractedSample;
import io.fjord.logql.eval.SampleExtractor;
import io.fjord.logql.eval.StreamSampleExtractor;
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
 * The metric sample path: one pass of a range aggregation's sample extraction over
 * {@link LogPipelineBenchmark#LINES} benchmark lines of one stream, summing the values (what a
 * bucketed sample collector does with them). Milliseconds per pass.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class SampleBenchmark {
  @Param({
      "count_over_time({app=\"bench\"}[1h])",
      "count_over_time({app=\"bench\"} |= \"needle\" [1h])",
      "bytes_over_time({app=\"bench\"}[1h])",
      "sum by (level) (rate({app=\"bench\"} | logfmt [1m]))",
      "sum by (path) (count_over_time({app=\"bench\"} | json [1m]))",
      "avg_over_time({app=\"bench\"} | logfmt | unwrap duration(dur) [1m])",
  })
  public String query;

  private String[] lines;
  private StreamSampleExtractor bound;

  @Setup(Level.Trial)
  public void setUp() {
    lines = QueryLines.generate(42, LogPipelineBenchmark.LINES).lines();
    Expr e = LogQL.parse(query);
    SampleExtractor x = e instanceof VectorAggregationExpr v
        ? SampleExtractor.of((RangeAggregationExpr) v.inner(), v.grouping())
        : SampleExtractor.of((RangeAggregationExpr) e);
    bound = x.forStream(LogPipelineBenchmark.STREAM);
  }

  @Benchmark
  public double extract() {
    double sum = 0;
    long ts = 0;
    StreamSampleExtractor x = bound;
    for (String line : lines) {
      ExtractedSample s = x.process(ts++, line, Labels.EMPTY);
      if (s != null) {
        sum += s.value();
      }
    }
    return sum;
  }
}
