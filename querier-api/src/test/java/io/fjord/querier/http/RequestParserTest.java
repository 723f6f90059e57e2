package io.fjord.querier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.http.ApiException;
import io.fjord.querier.engine.RangeQuery;
import io.fjord.querier.source.Direction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestParserTest {
  private static final long S = 1_000_000_000L;
  /** 2026-11-20T01:00:00Z */
  private static final long NOW = 1795136400L * S;

  @Test
  void queryRangeDefaultsAreLokis() {
    RangeQuery q = RequestParser.rangeQuery(params("query", "{app=\"a\"}"), NOW);

    assertThat(q.query()).isEqualTo("{app=\"a\"}");
    assertThat(q.endNanos()).isEqualTo(NOW);
    assertThat(q.startNanos()).isEqualTo(NOW - 3600 * S);
    assertThat(q.limit()).isEqualTo(100);
    assertThat(q.direction()).isEqualTo(Direction.BACKWARD);
    // 3600s / 250 = 14.4, floored
    assertThat(q.stepNanos()).isEqualTo(14 * S);
    assertThat(q.intervalNanos()).isZero();
  }

  @Test
  void explicitParametersAreRead() {
    RangeQuery q = RequestParser.rangeQuery(params("query", "{app=\"a\"}", "start", "2026-11-20T00:00:00Z",
        "end", "1795140000", "limit", "10", "direction", "FORWARD", "step", "60", "interval", "5s"), NOW);

    assertThat(q.startNanos()).isEqualTo(1795132800L * S);
    assertThat(q.endNanos()).isEqualTo(1795140000L * S);
    assertThat(q.limit()).isEqualTo(10);
    assertThat(q.direction()).isEqualTo(Direction.FORWARD);
    assertThat(q.stepNanos()).isEqualTo(60 * S);
    assertThat(q.intervalNanos()).isEqualTo(5 * S);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // name                         | end (s)     | since | start (s)   | expected start (s)
      "since before now               | -          | 30m   | -          | 1795134600",
      "since before a past end        | 1795132800 | 1h    | -          | 1795129200",
      "since before now when end is in the future | 1795140000 | 2h | - | 1795129200",
      "start wins over since          | -          | 5m    | 1795000000 | 1795000000",
  })
  void sinceCountsBackFromEndOrNow(String name, String end, String since, String start, long expectedStartS) {
    Map<String, String> m = new HashMap<>();
    m.put("query", "{a=\"b\"}");
    if (end != null) {
      m.put("end", end);
    }
    if (since != null) {
      m.put("since", since);
    }
    if (start != null) {
      m.put("start", start);
    }

    assertThat(RequestParser.rangeQuery(Params.of(m), NOW).startNanos()).isEqualTo(expectedStartS * S);
  }

  @Test
  void labelLookupsLookSixHoursBackByDefault() {
    RequestParser.Range r = RequestParser.labelsRange(params(), NOW);

    assertThat(r.endNanos()).isEqualTo(NOW);
    assertThat(r.startNanos()).isEqualTo(NOW - 6 * 3600 * S);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "limit     | abc        | invalid parameter \"limit\": \"abc\" is not an integer",
      "limit     | 1.5        | invalid parameter \"limit\": \"1.5\" is not an integer",
      "limit     | 0          | limit must be a positive value",
      "limit     | -3         | limit must be a positive value",
      "direction | sideways   | invalid direction 'sideways'",
      "interval  | -1s        | interval must be >= 0",
      "step      | often      | invalid parameter \"step\": cannot parse \"often\" to a valid duration",
      "start     | yesterday  | invalid parameter \"start\": cannot parse \"yesterday\" to a valid timestamp",
      "end       | tomorrow   | invalid parameter \"end\": cannot parse \"tomorrow\" to a valid timestamp",
      "since     | a while    | invalid parameter \"since\": cannot parse \"a while\" to a valid duration",
  })
  void badParametersAre400s(String name, String value, String message) {
    assertThatThrownBy(() -> RequestParser.rangeQuery(params("query", "{a=\"b\"}", name, value), NOW))
        .isInstanceOf(ApiException.class)
        .hasMessage(message)
        .extracting(e -> ((ApiException) e).status()).isEqualTo(400);
  }

  @Test
  void aHugeLimitSaturatesInsteadOfOverflowing() {
    assertThat(RequestParser.limit(params("limit", "99999999999999999999"))).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void formValuesComeBeforeUrlValues() {
    Params p = Params.of(Map.of("limit", List.of("7")), Map.of("limit", List.of("9"), "match[]", List.of("{a=\"1\"}")));

    assertThat(p.get("limit")).isEqualTo("7");
    assertThat(p.all("limit")).containsExactly("7", "9");
    assertThat(p.all("match[]")).containsExactly("{a=\"1\"}");
    assertThat(p.all("absent")).isEmpty();
  }

  private static Params params(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Params.of(m);
  }
}
