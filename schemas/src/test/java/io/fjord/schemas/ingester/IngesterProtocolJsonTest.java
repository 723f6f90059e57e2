package io.fjord.schemas.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.schemas.ingester.IngesterProtocol.Sample;
import io.fjord.schemas.ingester.IngesterProtocol.SampleGrouping;
import io.fjord.schemas.ingester.IngesterProtocol.SampleSeries;
import io.fjord.schemas.ingester.IngesterProtocol.SamplesRequest;
import io.fjord.schemas.ingester.IngesterProtocol.QueryRequest;
import io.fjord.schemas.ingester.IngesterProtocol.Direction;
import io.fjord.schemas.ingester.IngesterProtocol.SamplesResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The samples messages of the querier ↔ ingester protocol on the wire, as FORMATS.md documents them. */
class IngesterProtocolJsonTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void samplesTravelAsTimestampValuePairs() throws Exception {
    SamplesResponse r = new SamplesResponse(1, List.of(0, 3), List.of(new SampleSeries("fake", Map.of("app", "a"), 3,
        List.of(new Sample(1795132800000000001L, 1.5), new Sample(1795132800000000002L, -2)))), 7L, 300L);
    String text = json.writeValueAsString(r);
    assertThat(text).isEqualTo("{\"version\":1,\"partitions\":[0,3],\"series\":[{\"tenant\":\"fake\","
        + "\"labels\":{\"app\":\"a\"},\"partition\":3,\"samples\":[[1795132800000000001,1.5],"
        + "[1795132800000000002,-2.0]]}],\"entriesScanned\":7,\"bytesScanned\":300}");
    assertThat(json.readValue(text, SamplesResponse.class)).isEqualTo(r);
    assertThat(json.readValue("{\"version\":1,\"partitions\":[],\"series\":[]}", SamplesResponse.class)
        .entriesScanned()).isZero();
  }

  @Test
  void queryLabelsAndSeriesAnswersListTheirPartitionsAndOlderAnswersWithoutThemReadAsUnknown() throws Exception {
    IngesterProtocol.QueryResponse q = new IngesterProtocol.QueryResponse(1, List.of(), 0L, 0L, List.of(1, 2));
    String text = json.writeValueAsString(q);
    assertThat(text).isEqualTo("{\"version\":1,\"streams\":[],\"entriesScanned\":0,\"bytesScanned\":0,"
        + "\"partitions\":[1,2]}");
    assertThat(json.readValue(text, IngesterProtocol.QueryResponse.class)).isEqualTo(q);
    assertThat(json.writeValueAsString(new IngesterProtocol.QueryResponse(1, List.of()))).doesNotContain("partitions");
    assertThat(json.readValue("{\"version\":1,\"streams\":[]}", IngesterProtocol.QueryResponse.class).partitions())
        .isNull();

    IngesterProtocol.LabelsResponse l = new IngesterProtocol.LabelsResponse(1, List.of("app"), List.of());
    assertThat(json.writeValueAsString(l)).isEqualTo("{\"version\":1,\"values\":[\"app\"],\"partitions\":[]}");
    assertThat(json.readValue("{\"version\":1,\"values\":[\"app\"]}", IngesterProtocol.LabelsResponse.class)
        .partitions()).isNull();

    IngesterProtocol.SeriesResponse s = new IngesterProtocol.SeriesResponse(1,
        List.of(new IngesterProtocol.Series("fake", Map.of("app", "a"))), List.of(0));
    String series = json.writeValueAsString(s);
    assertThat(series).isEqualTo("{\"version\":1,\"series\":[{\"tenant\":\"fake\",\"labels\":{\"app\":\"a\"}}],"
        + "\"partitions\":[0]}");
    assertThat(json.readValue(series, IngesterProtocol.SeriesResponse.class)).isEqualTo(s);
    assertThat(json.readValue("{\"version\":1,\"series\":[]}", IngesterProtocol.SeriesResponse.class).partitions())
        .isNull();
  }

  @Test
  void valuesThatAreNotFiniteRoundTrip() throws Exception {
    List<Sample> samples = List.of(new Sample(1, Double.NaN), new Sample(2, Double.POSITIVE_INFINITY),
        new Sample(3, Double.NEGATIVE_INFINITY));
    String text = json.writeValueAsString(samples);
    assertThat(text).isEqualTo("[[1,\"NaN\"],[2,\"Infinity\"],[3,\"-Infinity\"]]");
    Sample[] back = json.readValue(text, Sample[].class);
    assertThat(back[0].value()).isNaN();
    assertThat(back[1].value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(back[2].value()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void aRequestWithAndWithoutPushedGrouping() throws Exception {
    SamplesRequest r = new SamplesRequest(1, List.of("a", "b"), "count_over_time({app=\"x\"}[5m])",
        new SampleGrouping(false, List.of("env")), 10, 20, 5L, 3L);
    String text = json.writeValueAsString(r);
    assertThat(text).isEqualTo("{\"version\":1,\"tenants\":[\"a\",\"b\"],\"query\":\"count_over_time({app=\\\"x\\\"}[5m])\","
        + "\"grouping\":{\"without\":false,\"labels\":[\"env\"]},\"startNanos\":10,\"endNanos\":20,"
        + "\"bucketWidthNanos\":5,\"bucketAlignNanos\":3}");
    assertThat(json.readValue(text, SamplesRequest.class)).isEqualTo(r);
    SamplesRequest minimal = json.readValue(
        "{\"version\":1,\"tenants\":[\"a\"],\"query\":\"q\",\"startNanos\":1,\"endNanos\":2}", SamplesRequest.class);
    assertThat(minimal.grouping()).isNull();
    assertThat(minimal.bucketWidthNanos()).isZero();
    assertThat(minimal.excludeChunks()).isEmpty();
  }

  @Test
  void excludedChunksAreSentOnlyWhenThereAreSome() throws Exception {
    QueryRequest none = new QueryRequest(1, List.of("a"), "{app=\"x\"}", 1, 2, 10, Direction.FORWARD);
    assertThat(json.writeValueAsString(none)).doesNotContain("excludeChunks");
    QueryRequest some = new QueryRequest(1, List.of("a"), "{app=\"x\"}", 1, 2, 10, Direction.FORWARD,
        List.of("a/chunks/k1"));
    String text = json.writeValueAsString(some);
    assertThat(text).endsWith(",\"excludeChunks\":[\"a/chunks/k1\"]}");
    assertThat(json.readValue(text, QueryRequest.class)).isEqualTo(some);
    SamplesRequest samples = new SamplesRequest(1, List.of("a"), "q", null, 1, 2, 0L, 0L, List.of("k2", "k3"));
    assertThat(json.readValue(json.writeValueAsString(samples), SamplesRequest.class).excludeChunks())
        .containsExactly("k2", "k3");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      // ts, align, width, bucket end: buckets (align + (k-1)·width, align + k·width]
      "100, 100, 10, 100", "101, 100, 10, 110", "110, 100, 10, 110", "99, 100, 10, 100", "90, 100, 10, 90",
      "89, 100, 10, 90", "-5, 0, 10, 0", "-10, 0, 10, -10", "7, 3, 0, 7"})
  void bucketsAreLeftOpenAndRightClosed(long ts, long align, long width, long end) {
    assertThat(IngesterProtocol.bucketEnd(ts, align, width)).isEqualTo(end);
  }
}
