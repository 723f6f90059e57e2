package io.fjord.querier.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.config.LimitsConfig;
import io.fjord.common.http.ApiException;
import io.fjord.querier.source.Direction;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestLimitsTest {
  private static final long S = 1_000_000_000L;
  private static final long H = 3600 * S;
  /** Loki's defaults: 5000 entries, 30d1h range. */
  private final RequestLimits defaults = new RequestLimits(LimitsConfig.defaults());

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "limit above the maximum    | 0 | 3600  | 5001 | 1  | max entries limit per query exceeded, limit > max_entries_limit (5001 > 5000)",
      "end before start           | 10 | 9    | 100  | 1  | end timestamp must not be before or equal to start time",
      "range over 30d1h           | 0 | 2599200 | 100 | 3600 | the query time range exceeds the limit (query length: 722h0m0s, limit: 721h0m0s)",
      "zero step                  | 0 | 3600  | 100  | 0  | zero or negative query resolution step widths are not accepted. Try a positive integer",
      "negative step              | 0 | 3600  | 100  | -5 | zero or negative query resolution step widths are not accepted. Try a positive integer",
      "more than 11000 points     | 0 | 11001 | 100  | 1  | exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter",
  })
  void violationsAre400sWithLokisText(String name, long startS, long endS, int limit, long stepS, String message) {
    RangeQuery q = new RangeQuery("{a=\"b\"}", startS * S, endS * S, limit, Direction.BACKWARD, stepS * S, 0);

    assertThatThrownBy(() -> defaults.check(q))
        .isInstanceOf(ApiException.class)
        .hasMessage(message)
        .extracting(e -> ((ApiException) e).status()).isEqualTo(400);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "limit at the maximum      | 0 | 3600    | 5000 | 1",
      "end equal to start        | 5 | 5       | 100  | 1",
      "range of exactly 30d1h    | 0 | 2595600 | 100  | 3600",
      "exactly 11000 points      | 0 | 11000   | 100  | 1",
  })
  void valuesAtTheLimitsPass(String name, long startS, long endS, int limit, long stepS) {
    RangeQuery q = new RangeQuery("{a=\"b\"}", startS * S, endS * S, limit, Direction.FORWARD, stepS * S, 0);

    assertThatCode(() -> defaults.check(q)).doesNotThrowAnyException();
  }

  @Test
  void zeroMaximaDisableTheirChecks() {
    LimitsConfig unlimited = new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, 0,
        null, Duration.ZERO, null, null, null);
    RequestLimits limits = new RequestLimits(unlimited);

    assertThatCode(() -> limits.checkEntryLimit(1_000_000)).doesNotThrowAnyException();
    assertThatCode(() -> limits.checkRange(0, 10_000 * H)).doesNotThrowAnyException();
  }

  @Test
  void queriesAreSplitByLokisDefaultsUnlessConfiguredOtherwise() {
    // split_queries_by_interval 1h, max_query_parallelism 32
    assertThat(defaults.split()).isEqualTo(new QuerySplit(H, 32));

    LimitsConfig unsplit = new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, 4, Duration.ZERO);
    assertThat(new RequestLimits(unsplit).split()).isEqualTo(new QuerySplit(0, 4));
  }

  @Test
  void aParallelismBelowOneOrANegativeIntervalIsAConfigurationError() {
    assertThatThrownBy(() -> new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, 0, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_query_parallelism");
    assertThatThrownBy(() -> new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, Duration.ofMinutes(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("split_queries_by_interval");
  }
}
