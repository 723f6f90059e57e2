package io.fjord.logql.ast;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The querier sends each range aggregation to the ingesters as text printed by {@link Printer}:
 * printing must lose nothing, i.e. the printed text parses back to a query that prints the same.
 * The queries are the range aggregations of the conformance kit's metric cases plus stages that
 * need quoting.
 */
class PrinterRoundTripTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "count_over_time({app=\"cron\"}[10m])",
      "count_over_time({app=\"edge\"} |= \"boundary\" [5m])",
      "bytes_over_time({app=\"edge\"}[2h])",
      "count_over_time({app=\"api\"}[1h] offset 30m)",
      "absent_over_time({app=\"nope\", env=\"x\"}[1h])",
      "bytes_rate({app=\"i18n\"}[5m])",
      "count_over_time({app=\"worker\"} | json | __error__=\"\" [10m])",
      "count_over_time({app=\"worker\"} | json | __error__!=\"\" [30m])",
      "rate({app=\"web\"}[30s])",
      "rate({app=\"web\"}[14d])",
      "rate({app=\"web\"}[365d] offset 1d)",
      "rate({app=\"web\"}[26h1.5s])",
      "rate({app=\"web\"}[1500us])",
      "min_over_time({app=\"api\"} | logfmt | unwrap bytes(bytes) | __error__=\"\" [10m]) by (env)",
      "quantile_over_time(0.95, {app=\"worker\"} | json | __error__=\"\" | unwrap latency_ms [15m]) by (env)",
      "first_over_time({app=\"gateway\"} | logfmt | unwrap requests_total [10m]) by (pod)",
      "sum_over_time({app=\"api\"} | logfmt | unwrap duration_seconds(duration) | __error__=\"\" [10m])",
      "max_over_time({app=\"api\"} | logfmt | unwrap duration [10m]) without (pod, env)",
      "sum_over_time({app=\"worker\"} | json | unwrap job_attempt | __error__=\"\" [30m])",
      "rate_counter({app=\"g\"} | logfmt | unwrap requests_total | status >= 500 or level=~\"err.*\" [1m])",
      "count_over_time({app=~\".+\", pod!=\"\"} !~ `a\\\\b\"c` |~ \"x\" or \"y\" != ip(\"10.0.0.0/8\") [10m])",
      "count_over_time({a=\"b\"} | json x=\"a.b\", y=`c[0]` | logfmt --strict --keep-empty | regexp \"(?P<n>\\\\w+)\""
          + " | pattern \"<_> <m>\" | unpack | line_format \"{{.x}}\\n\\t\" | label_format a=b, c=\"{{.d}}\""
          + " | drop e, f=\"g\" | keep h | decolorize | d > 1.5s | s <= 20KB | n == 3 | ip = ip(\"::1\") [1m])",
  })
  void printsWhatParsesBackTheSame(String query) {
    Expr parsed = LogQL.parse(query);
    String printed = Printer.print(parsed);
    Expr reparsed = LogQL.parse(printed);
    assertThat(Printer.print(reparsed)).isEqualTo(printed);
    assertThat(withoutPositions(reparsed)).isEqualTo(withoutPositions(parsed));
  }

  /**
   * Ranges print as Loki prints them ({@code [5m]}, not Go's {@code [5m0s]}): the largest units
   * first, years and weeks only when exact, milliseconds the finest; offsets keep Go's form
   * ({@code offset 1h0m0s}), as Loki's do.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      count_over_time({a="b"}[5m]) => count_over_time({a="b"}[5m])
      count_over_time({a="b"}[300s]) => count_over_time({a="b"}[5m])
      count_over_time({a="b"}[90m]) => count_over_time({a="b"}[1h30m])
      count_over_time({a="b"}[1h0m30s]) => count_over_time({a="b"}[1h30s])
      count_over_time({a="b"}[24h]) => count_over_time({a="b"}[1d])
      count_over_time({a="b"}[14d]) => count_over_time({a="b"}[2w])
      count_over_time({a="b"}[8d]) => count_over_time({a="b"}[8d])
      count_over_time({a="b"}[365d]) => count_over_time({a="b"}[1y])
      count_over_time({a="b"}[1.5s]) => count_over_time({a="b"}[1s500ms])
      count_over_time({a="b"}[250ms]) => count_over_time({a="b"}[250ms])
      count_over_time({a="b"}[1500us]) => count_over_time({a="b"}[1.5ms])
      count_over_time({a="b"}[5m] offset 1h) => count_over_time({a="b"}[5m] offset 1h0m0s)
      count_over_time({a="b"}[1m] offset 90s) => count_over_time({a="b"}[1m] offset 1m30s)
      """)
  void printsRangesInLokisForm(String query, String printed) {
    assertThat(Printer.print(LogQL.parse(query))).isEqualTo(printed);
  }

  /** The AST's record text without the source positions, which printing may move. */
  private static String withoutPositions(Expr e) {
    return e.toString().replaceAll("Position\\[[^\\]]*\\]", "P");
  }
}
