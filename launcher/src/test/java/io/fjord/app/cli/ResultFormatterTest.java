package io.fjord.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.app.cli.QueryResult.Entry;
import io.fjord.app.cli.QueryResult.Point;
import io.fjord.app.cli.QueryResult.Series;
import io.fjord.schemas.labels.Labels;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResultFormatterTest {
  private static final Labels SHOP = Labels.of("app", "shop", "env", "dev");

  static Stream<Arguments> entries() {
    return Stream.of(
        Arguments.of(1_700_000_000_123_456_789L, SHOP, "GET /cart 200", OutputMode.DEFAULT,
            "2023-11-14T22:13:20.123456789Z {app=\"shop\", env=\"dev\"} GET /cart 200"),
        Arguments.of(1_700_000_000_123_456_789L, SHOP, "GET /cart 200", OutputMode.RAW, "GET /cart 200"),
        Arguments.of(1_700_000_000_123_456_789L, SHOP, "GET /cart 200", OutputMode.JSONL,
            "{\"timestamp\":\"2023-11-14T22:13:20.123456789Z\",\"labels\":{\"app\":\"shop\",\"env\":\"dev\"},"
                + "\"line\":\"GET /cart 200\"}"),
        Arguments.of(1_700_000_000_000_000_000L, SHOP, "whole second", OutputMode.DEFAULT,
            "2023-11-14T22:13:20Z {app=\"shop\", env=\"dev\"} whole second"),
        Arguments.of(1_700_000_000_500_000_000L, Labels.EMPTY, "half", OutputMode.DEFAULT,
            "2023-11-14T22:13:20.500Z {} half"),
        Arguments.of(0L, Labels.of("msg", "say \"hi\""), "q", OutputMode.DEFAULT,
            "1970-01-01T00:00:00Z {msg=\"say \\\"hi\\\"\"} q"),
        Arguments.of(0L, Labels.of("msg", "say \"hi\""), "tab\there \"x\"", OutputMode.JSONL,
            "{\"timestamp\":\"1970-01-01T00:00:00Z\",\"labels\":{\"msg\":\"say \\\"hi\\\"\"},"
                + "\"line\":\"tab\\there \\\"x\\\"\"}"),
        Arguments.of(0L, Labels.EMPTY, "tab\there", OutputMode.RAW, "tab\there"));
  }

  @ParameterizedTest
  @MethodSource("entries")
  void formatsALogEntry(long ts, Labels labels, String line, OutputMode mode, String expected) {
    assertThat(ResultFormatter.entry(new Entry(ts, labels, line), mode)).isEqualTo(expected);
  }

  static Stream<Arguments> samples() {
    Instant t = Instant.ofEpochSecond(1_700_000_060);
    return Stream.of(
        Arguments.of(Labels.of("app", "shop"), t, "3", OutputMode.DEFAULT, "2023-11-14T22:14:20Z {app=\"shop\"} 3"),
        Arguments.of(Labels.of("app", "shop"), t, "3", OutputMode.RAW, "2023-11-14T22:14:20Z {app=\"shop\"} 3"),
        Arguments.of(Labels.of("app", "shop"), t, "0.25", OutputMode.JSONL,
            "{\"timestamp\":\"2023-11-14T22:14:20Z\",\"metric\":{\"app\":\"shop\"},\"value\":\"0.25\"}"),
        Arguments.of(Labels.EMPTY, t, "NaN", OutputMode.DEFAULT, "2023-11-14T22:14:20Z {} NaN"),
        Arguments.of(null, t, "1", OutputMode.DEFAULT, "2023-11-14T22:14:20Z 1"),
        Arguments.of(null, t, "1", OutputMode.JSONL, "{\"timestamp\":\"2023-11-14T22:14:20Z\",\"value\":\"1\"}"));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void formatsAMetricSample(Labels metric, Instant time, String value, OutputMode mode, String expected) {
    assertThat(ResultFormatter.sample(metric, new Point(time, value), mode)).isEqualTo(expected);
  }

  @Test
  void aMatrixPrintsEverySampleOfEverySeriesInOrder() {
    Instant t0 = Instant.ofEpochSecond(1_700_000_000);
    Instant t1 = Instant.ofEpochSecond(1_700_000_060);
    QueryResult matrix = new QueryResult.Matrix(List.of(
        new Series(Labels.of("app", "a"), List.of(new Point(t0, "1"), new Point(t1, "2"))),
        new Series(Labels.of("app", "b"), List.of(new Point(t1, "5")))));
    assertThat(ResultFormatter.lines(matrix, OutputMode.DEFAULT)).containsExactly(
        "2023-11-14T22:13:20Z {app=\"a\"} 1",
        "2023-11-14T22:14:20Z {app=\"a\"} 2",
        "2023-11-14T22:14:20Z {app=\"b\"} 5");
  }

  @Test
  void streamsPrintTheirEntriesInTheGivenOrder() {
    QueryResult streams = new QueryResult.Streams(List.of(
        new Entry(2_000_000_000L, Labels.of("app", "b"), "second"),
        new Entry(1_000_000_000L, Labels.of("app", "a"), "first")));
    assertThat(ResultFormatter.lines(streams, OutputMode.RAW)).containsExactly("second", "first");
  }
}
