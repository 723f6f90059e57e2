package io.fjord.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.distributor.push.LabelPair;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  private static final List<LabelPair> APP = List.of(new LabelPair("app", "shop"));
  /** 2024-05-01T10:00:00Z in ms. */
  private static final long MS = 1_714_557_600_000L;

  private static SourceRecord record(long offset, String value) {
    return new SourceRecord(3, offset, MS, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static LineSpec spec(LineFormat format, String timestampField, String... labelFields) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String f : labelFields) {
      int eq = f.indexOf('=');
      fields.put(eq < 0 ? f : f.substring(0, eq), eq < 0 ? f : f.substring(eq + 1));
    }
    return new LineSpec(format, APP, fields, timestampField);
  }

  private static LineReader.Line line(LineReader.Result r) {
    assertThat(r).isInstanceOf(LineReader.Line.class);
    return (LineReader.Line) r;
  }

  private static LineReader.Failure failure(LineReader.Result r) {
    assertThat(r).isInstanceOf(LineReader.Failure.class);
    return (LineReader.Failure) r;
  }

  @Test
  void aRawLineIsTheValueAtTheKafkaTimestampPlusTheOffsetTieBreak() {
    LineReader.Line l = line(new LineReader(LineSpec.raw(APP)).read(record(1_000_042, "GET /cart 200")));
    assertThat(l.labels()).containsExactly(new LabelPair("app", "shop"));
    assertThat(l.entry().line()).isEqualTo("GET /cart 200");
    // offset 1,000,042 modulo 10^6 = 42 ns after the millisecond
    assertThat(l.entry().timestampNanos()).isEqualTo(1_714_557_600_000_000_042L);
  }

  @Test
  void equalLinesInOneMillisecondStayTwoEntriesAndAReadAgainIsTheSameEntry() {
    LineReader reader = new LineReader(LineSpec.raw(APP));
    LineReader.Line a = line(reader.read(record(7, "ping")));
    LineReader.Line b = line(reader.read(record(8, "ping")));
    assertThat(a.entry().timestampNanos()).isNotEqualTo(b.entry().timestampNanos());
    assertThat(line(reader.read(record(7, "ping"))).entry()).isEqualTo(a.entry());
  }

  @Test
  void jsonLabelsAndTimeComeFromNamedFieldsAndTheLineStaysWhole() {
    String json = "{\"ts\":\"2024-05-01T10:00:01.000000005Z\",\"level\":\"warn\",\"svc\":{\"n\":1},\"code\":500,"
        + "\"msg\":\"slow\"}";
    LineReader.Line l = line(new LineReader(spec(LineFormat.JSON, "ts", "level", "service=svc", "status=code"))
        .read(record(9, json)));
    assertThat(l.entry().line()).isEqualTo(json);
    assertThat(l.entry().timestampNanos()).as("a sub-ms time gets no tie-break").isEqualTo(1_714_557_601_000_000_005L);
    assertThat(l.labels()).containsExactly(new LabelPair("app", "shop"), new LabelPair("level", "warn"),
        new LabelPair("service", "{\"n\":1}"), new LabelPair("status", "500"));
  }

  @Test
  void jsonNumericTimesAndAbsentOrEmptyLabelFields() {
    LineReader reader = new LineReader(spec(LineFormat.JSON, "t", "level"));
    LineReader.Line seconds = line(reader.read(record(5, "{\"t\":1714557601.5,\"level\":\"\"}")));
    assertThat(seconds.entry().timestampNanos()).isEqualTo(1_714_557_601_500_000_005L);
    assertThat(seconds.labels()).containsExactly(new LabelPair("app", "shop"));
    LineReader.Line millis = line(reader.read(record(6, "{\"t\":1714557601250,\"level\":null}")));
    assertThat(millis.entry().timestampNanos()).isEqualTo(1_714_557_601_250_000_006L);
    assertThat(millis.labels()).containsExactly(new LabelPair("app", "shop"));
  }

  @Test
  void logfmtLabelsAndTimeIncludingQuotedValues() {
    String text = "time=2024-05-01T10:00:02Z level=error msg=\"disk \\\"sda\\\" full\" caller=\"a b\" flag";
    LineReader.Line l = line(new LineReader(spec(LineFormat.LOGFMT, "time", "level", "caller", "flag", "msg"))
        .read(record(17, text)));
    assertThat(l.entry().line()).isEqualTo(text);
    assertThat(l.entry().timestampNanos()).isEqualTo(1_714_557_602_000_000_017L);
    assertThat(l.labels()).containsExactly(new LabelPair("app", "shop"), new LabelPair("caller", "a b"),
        new LabelPair("level", "error"), new LabelPair("msg", "disk \"sda\" full"));
  }

  @Test
  void whatCannotBecomeALineSaysWhy() {
    LineReader json = new LineReader(spec(LineFormat.JSON, "ts"));
    assertThat(failure(json.read(record(1, "not json"))).reason()).isEqualTo(BackfillReason.INVALID_JSON);
    assertThat(failure(json.read(record(1, "[1,2]"))).reason()).isEqualTo(BackfillReason.INVALID_JSON);
    LineReader.Failure missing = failure(json.read(record(2, "{\"msg\":\"x\"}")));
    assertThat(missing.reason()).isEqualTo(BackfillReason.MISSING_TIMESTAMP);
    assertThat(missing.message()).contains("3@2").contains("\"ts\"");
    LineReader.Failure bad = failure(json.read(record(3, "{\"ts\":\"soon\"}")));
    assertThat(bad.reason()).isEqualTo(BackfillReason.INVALID_TIMESTAMP);
    assertThat(bad.message()).contains("soon");
    assertThat(failure(new LineReader(LineSpec.raw(APP)).read(record(4, null))).reason())
        .isEqualTo(BackfillReason.NO_VALUE);
    assertThat(failure(new LineReader(spec(LineFormat.LOGFMT, "time")).read(record(5, "level=info")))
        .reason()).isEqualTo(BackfillReason.MISSING_TIMESTAMP);
  }

  @Test
  void invalidUtf8BecomesTheReplacementCharacter() {
    SourceRecord r = new SourceRecord(0, 0, MS, new byte[] {'o', 'k', (byte) 0xff});
    assertThat(line(new LineReader(LineSpec.raw(APP)).read(r)).entry().line()).isEqualTo("ok\uFFFD");
  }
}
