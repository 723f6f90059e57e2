package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Line filters run before the parsers and label stages written ahead of them, and the answers stay
 * those of the written order: a worked example, then random pipelines over random lines compared
 * with the same pipeline compiled in written order.
 */
class FiltersFirstTest {
  private static final Labels STREAM = Labels.of("app", "bench", "level", "stream-level");

  private static LogPipeline pipeline(String stages, boolean filtersFirst) {
    return LogPipeline.of(LogQL.parseSelector("{app=\"bench\"} " + stages).pipeline(), filtersFirst);
  }

  @Test
  void aFilterAfterAParserStillSeesTheLineAndTheParsedLabelsStayRight() {
    LogPipeline p = pipeline("|= \"{\" | json | status >= 500 |= \"needle\"", true);
    StreamPipeline s = p.forStream(STREAM);
    assertThat(s.process(1, "{\"status\":503,\"msg\":\"needle found\"}", Labels.EMPTY)).isEqualTo(new LogLine(
        "{\"status\":503,\"msg\":\"needle found\"}",
        Labels.of("app", "bench", "level", "stream-level", "msg", "needle found", "status", "503")));
    assertThat(s.process(2, "{\"status\":200,\"msg\":\"needle found\"}", Labels.EMPTY)).isNull();
    assertThat(s.process(3, "{\"status\":503,\"msg\":\"hay\"}", Labels.EMPTY)).isNull();
  }

  @Test
  void aFilterAfterLineFormatSeesTheFormattedLine() {
    LogPipeline p = pipeline("| logfmt | line_format \"{{.msg}}\" |= \"a=\"", true);
    assertThat(p.forStream(STREAM).process(1, "msg=\"a=1\" b=2", Labels.EMPTY)).isNotNull();
    assertThat(p.forStream(STREAM).process(1, "msg=x b=a=", Labels.EMPTY)).isNull();
  }

  private static final String[] STAGES = {"|= \"a\"", "!= \"b\"", "|~ \"c.d\"", "|= \"x\" or \"{\"", "| json",
      "| logfmt", "| logfmt --strict", "| json msg", "| status >= 500", "| level=\"error\"", "| __error__=\"\"",
      "| line_format \"{{.msg}}\"", "| label_format lvl=level", "| drop status", "| keep level, msg",
      "| decolorize", "| unpack", "| regexp \"(?P<w>\\\\w+)\"", "| pattern \"<first> <_>\"", "|> \"<_>a<_>\"",
      "| msg=~\"a.*\""};
  private static final String[] WORDS = {"a", "b", "cxd", "x", "{", "}", "\"", "msg=", "status=", "level=", "=",
      " ", "error", "503", "200", "\\u001b[31m", "_entry", ":", ",", "{\"msg\":\"a\",\"status\":503}",
      "{\"_entry\":\"b x\",\"level\":\"error\"}"};

  @Test
  void randomPipelinesGiveTheAnswersOfTheWrittenOrder() {
    Random r = new Random(42);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(8);
      for (int k = 0; k < n; k++) {
        b.append(WORDS[r.nextInt(WORDS.length)]);
      }
      lines.add(b.toString());
    }
    int kept = 0;
    for (int k = 0; k < 400; k++) {
      StringBuilder stages = new StringBuilder();
      int n = 1 + r.nextInt(6);
      for (int i = 0; i < n; i++) {
        stages.append(STAGES[r.nextInt(STAGES.length)]).append(' ');
      }
      StreamPipeline reordered = pipeline(stages.toString(), true).forStream(STREAM);
      StreamPipeline written = pipeline(stages.toString(), false).forStream(STREAM);
      for (String line : lines) {
        LogLine expected = written.process(7, line, Labels.EMPTY);
        assertThat(reordered.process(7, line, Labels.EMPTY)).as("%s on [%s]", stages, line).isEqualTo(expected);
        kept += expected == null ? 0 : 1;
      }
    }
    assertThat(kept).as("entries kept by some pipelines").isGreaterThan(1000);
  }
}
