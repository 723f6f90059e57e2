package io.fjord.ingester.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.StreamBatch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamValidatorTest {

  @ParameterizedTest(name = "tenant {0}, label {1} -> {2}")
  @CsvSource(nullValues = "ok", value = {
      "fake,      app,      ok",
      "team-1.a,  _private, ok",
      "t,         a9_Z,     ok",
      "t,         9lives,   invalid label name",
      "t,         bad-name, invalid label name",
      "t,         é,        invalid label name",
      "a|b,       app,      invalid tenant",
      "'',        app,      invalid tenant",
      "..,        app,      invalid tenant",
      "t/x,       app,      invalid tenant"})
  void checksTenantAndLabelNames(String tenant, String labelName, String problem) {
    StreamBatch batch = new StreamBatch(tenant, Labels.of(labelName, "v"), List.of(new LogEntry(1, "x")));

    String got = StreamValidator.problem(batch);

    if (problem == null) {
      assertThat(got).isNull();
    } else {
      assertThat(got).contains(problem);
    }
  }

  @Test
  void refusesAStreamWithoutLabels() {
    assertThat(StreamValidator.problem(new StreamBatch("t", Labels.EMPTY, List.of())))
        .isEqualTo("stream has no labels");
  }
}
