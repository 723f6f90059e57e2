package io.fjord.querier.engine.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.ast.RangeOp;
import io.fjord.schemas.labels.Labels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The range aggregations over one window, against values worked out by hand from their definitions. */
class RangeFunctionsTest {
  private static final long S = 1_000_000_000L;

  @ParameterizedTest(name = "{0}({1}) of {2}")
  @CsvSource(delimiter = '|', value = {
      "COUNT_OVER_TIME    | 0    | 1 1 1 1         | 4",
      "RATE               | 0    | 1 1 1           | 0.05",
      "BYTES_OVER_TIME    | 0    | 10 20 12        | 42",
      "BYTES_RATE         | 0    | 10 20 30        | 1",
      "SUM_OVER_TIME      | 0    | 1.5 -2 4        | 3.5",
      "AVG_OVER_TIME      | 0    | 1 2 3 4         | 2.5",
      "MIN_OVER_TIME      | 0    | 3 -1 2          | -1",
      "MIN_OVER_TIME      | 0    | NaN 3 1         | 1",
      "MAX_OVER_TIME      | 0    | NaN 3 1         | 3",
      "STDVAR_OVER_TIME   | 0    | 2 4 4 4 5 5 7 9 | 4",
      "STDDEV_OVER_TIME   | 0    | 2 4 4 4 5 5 7 9 | 2",
      "QUANTILE_OVER_TIME | 0.5  | 4 1 3 2         | 2.5",
      "QUANTILE_OVER_TIME | 0.9  | 4 1 3 2         | 3.7",
      "QUANTILE_OVER_TIME | 0    | 4 1 3 2         | 1",
      "QUANTILE_OVER_TIME | 1    | 4 1 3 2         | 4",
      "QUANTILE_OVER_TIME | 0.5  | 7               | 7",
      "QUANTILE_OVER_TIME | -1   | 4 1 3 2         | -Infinity",
      "QUANTILE_OVER_TIME | 2    | 4 1 3 2         | Infinity",
      "FIRST_OVER_TIME    | 0    | 5 6 7           | 5",
      "LAST_OVER_TIME     | 0    | 5 6 7           | 7",
  })
  void aggregatesAWindowOf60Seconds(RangeOp op, double parameter, String values, double expected) {
    SeriesSamples s = series(values);

    double v = RangeFunctions.apply(op, parameter, s, 0, s.size(), 60 * S, 60 * S);

    assertThat(v).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void rateCounterCorrectsResetsAndExtrapolatesToTheWindow() {
    // values 1, 2, 0, 1 at 10, 20, 30, 40 s in the window (0, 60]: increase 0 + reset 2 = 2 over 30 s
    // sampled; 10 s to the start (< 1.1 × 10 s average, so extrapolated), 20 s to the end (half the
    // average, 5 s, instead): 2 × 45 / 30 = 3 over 60 s
    SeriesSamples s = new SeriesSamples(Labels.EMPTY, new long[] {10 * S, 20 * S, 30 * S, 40 * S},
        new double[] {1, 2, 0, 1});

    assertThat(RangeFunctions.counterRate(s, 0, 4, 60 * S, 60 * S)).isEqualTo(0.05);
    assertThat(RangeFunctions.counterRate(s, 0, 1, 60 * S, 60 * S)).isZero();
  }

  /** Samples one second apart ending at 60 s. */
  private static SeriesSamples series(String values) {
    double[] v = Arrays.stream(values.trim().split(" +")).mapToDouble(Double::parseDouble).toArray();
    long[] ts = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      ts[i] = (60 - v.length + 1 + i) * S;
    }
    return new SeriesSamples(Labels.EMPTY, ts, v);
  }
}
