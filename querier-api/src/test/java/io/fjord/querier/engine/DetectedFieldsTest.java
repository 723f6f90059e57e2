package io.fjord.querier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.querier.engine.DetectedFields.Field;
import io.fjord.querier.source.Entry;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DetectedFieldsTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiterString = " => ", value = {
      "42 => int",
      "-7 => int",
      "3.14 => float",
      "1e3 => float",
      "99999999999999999999 => float",
      "true => boolean",
      "FALSE => boolean",
      "150ms => duration",
      "1h30m => duration",
      "10KB => bytes",
      "5 MiB => bytes",
      "GET => string",
      "1d => string",
  })
  void typeOfAValueIsTheFirstKindThatParsesIt(String value, String type) {
    assertThat(DetectedFields.typeOf(value)).isEqualTo(type);
  }

  @Test
  void fieldsOfLogfmtAndJsonLinesWithTheirTypesCardinalitiesAndParsers() {
    DetectedFields d = new DetectedFields();
    d.add(new Entry(1, "level=info msg=\"started\" took=150ms"));
    d.add(new Entry(2, "level=error msg=failed took=2s status=500"));
    d.add(new Entry(3, "{\"level\":\"warn\",\"user\":{\"id\":7}}"));
    d.add(new Entry(4, "{\"level\":\"warn\""));

    assertThat(d.fields(100)).containsExactly(
        new Field("level", "string", 3, List.of("logfmt", "json")),
        new Field("msg", "string", 2, List.of("logfmt")),
        new Field("status", "int", 1, List.of("logfmt")),
        new Field("took", "duration", 2, List.of("logfmt")),
        new Field("user_id", "int", 1, List.of("json")));
    assertThat(d.fields(2)).extracting(Field::label).containsExactly("level", "msg");
    assertThat(d.values("level", 100)).containsExactly("info", "error", "warn");
    assertThat(d.values("level", 1)).containsExactly("info");
    assertThat(d.values("absent", 100)).isEmpty();
  }
}
