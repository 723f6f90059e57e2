package io.fjord.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.app.cli.QueryResult.Entry;
import io.fjord.app.cli.QueryResult.Point;
import io.fjord.app.cli.QueryResult.Series;
import io.fjord.schemas.labels.Labels;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
  private static final String TWO_STREAMS = """
      {"status":"success","data":{"resultType":"streams","result":[
        {"stream":{"app":"a"},"values":[["30","a3"],["10","a1"]]},
        {"stream":{"app":"b"},"values":[["20","b2",{"trace_id":"t"}]]}],
       "stats":{}}}""";

  @ParameterizedTest
  @CsvSource({"false, a3 b2 a1", "true, a1 b2 a3"})
  void entriesOfAllStreamsAreMergedByTime(boolean forward, String expectedLines) {
    QueryResult r = ResponseParser.queryResponse(TWO_STREAMS, forward);
    assertThat(r).isInstanceOf(QueryResult.Streams.class);
    assertThat(((QueryResult.Streams) r).entries()).extracting(Entry::line)
        .containsExactly(expectedLines.split(" "));
  }

  @Test
  void structuredMetadataJoinsTheLabels() {
    QueryResult.Streams r = (QueryResult.Streams) ResponseParser.queryResponse(TWO_STREAMS, true);
    assertThat(r.entries().get(1)).isEqualTo(new Entry(20, Labels.of("app", "b", "trace_id", "t"), "b2"));
  }

  @Test
  void aMatrixKeepsFractionalTimestampsAndValueText() {
    String body = """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"app":"a"},"values":[[1700000000,"2"],[1700000060.5,"3.25"]]}]}}""";
    assertThat(ResponseParser.queryResponse(body, false)).isEqualTo(new QueryResult.Matrix(List.of(
        new Series(Labels.of("app", "a"), List.of(
            new Point(Instant.parse("2023-11-14T22:13:20Z"), "2"),
            new Point(Instant.parse("2023-11-14T22:14:20.5Z"), "3.25"))))));
  }

  @Test
  void aVectorAndAScalar() {
    String vector = """
        {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.001,"7"]}]}}""";
    assertThat(ResponseParser.queryResponse(vector, false)).isEqualTo(new QueryResult.Vector(List.of(
        new Series(Labels.EMPTY, List.of(new Point(Instant.parse("2023-11-14T22:13:20.001Z"), "7"))))));
    String scalar = """
        {"status":"success","data":{"resultType":"scalar","result":[1700000000,"1"]}}""";
    assertThat(ResponseParser.queryResponse(scalar, false))
        .isEqualTo(new QueryResult.Scalar(new Point(Instant.parse("2023-11-14T22:13:20Z"), "1")));
  }

  @Test
  void aTailMessageIsOldestFirst() {
    String msg = """
        {"streams":[{"stream":{"app":"a"},"values":[["5","later"],["4","earlier"]]}]}""";
    assertThat(ResponseParser.tailMessage(msg)).extracting(Entry::line).containsExactly("earlier", "later");
  }

  @Test
  void anUnknownResultTypeOrNonJsonIsRefused() {
    assertThatThrownBy(() -> ResponseParser.queryResponse("{\"data\":{\"resultType\":\"x\"}}", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"x\"");
    assertThatThrownBy(() -> ResponseParser.queryResponse("<html>", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
  }
}
