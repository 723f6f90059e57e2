package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.LogSelectorExpr;
import io.fjord.schemas.labels.Labels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Line filter semantics as Loki documents them, evaluated through {@link LogPipeline}. */
class LineFilterTest {
  private static final Labels STREAM = Labels.of("app", "web");

  private static boolean keeps(String pipeline, String line) {
    LogSelectorExpr e = LogQL.parseSelector("{app=\"web\"} " + pipeline);
    return LogPipeline.of(e).forStream(STREAM).process(0, line, Labels.EMPTY) != null;
  }

  @ParameterizedTest(name = "{0} on [{1}] -> {2}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      |= "error" => an error here => true
      |= "error" => an ERROR here => false
      |= "" => anything => true
      != "error" => an error here => false
      != "info" != "debug" => level=warn => true
      != "info" != "debug" => level=debug => false
      |~ "err.r" => an error here => true
      |~ "^an" => an error here => true
      |~ "^error" => an error here => false
      |~ "(?i)ERROR" => an error here => true
      |~ `HTTP/1\\.1" 5[0-9]{2}` => "GET / HTTP/1.1" 503 12 => true
      |~ `HTTP/1\\.1" 5[0-9]{2}` => "GET / HTTP/1.1" 404 12 => false
      !~ "5[0-9]{2}" => status 404 => true
      !~ "5[0-9]{2}" => status 500 => false
      |= "FAILED" or "removed" => job removed => true
      |= "FAILED" or "removed" => job ok => false
      != "FAILED" or "removed" => job removed => false
      != "FAILED" or "removed" => job FAILED => false
      != "FAILED" or "removed" => job ok => true
      |= "FAILED" or "removed" != "exit code 2" => FAILED: exit code 2 => false
      |= "FAILED" or "removed" != "exit code 2" => FAILED: exit code 1 => true
      |~ "a" or "b" => xbx => true
      !~ "a" or "b" => xbx => false
      |= "café" => naïve café ☕ => true
      |> "<_> GET <_>" => 1.2.3.4 GET /x => true
      |> "<_> GET <_>" => 1.2.3.4 POST /x => false
      |> "GET <_>" => x GET /x => false
      !> "<_> GET <_>" => 1.2.3.4 POST /x => true
      |= ip("10.0.0.0-10.2.255.255") => from 10.1.2.3 port 80 => true
      |= ip("10.0.0.0-10.2.255.255") => from 10.3.2.3 port 80 => false
      != ip("10.0.0.0-10.2.255.255") => from 10.3.2.3 port 80 => true
      |= ip("192.168.0.0/16") => 192.168.44.1 - GET => true
      |= ip("192.168.0.0/16") => 192.169.44.1 - GET => false
      |= ip("3.180.71.3") => 93.180.71.3 - GET => false
      |= ip("2001:db8::/32") => addr=2001:db8::1 ok => true
      """)
  void filters(String pipeline, String line, boolean kept) {
    assertThat(keeps(pipeline, line)).isEqualTo(kept);
  }

  @Test
  void regexDotMatchesNewlinesOnlyWithTheSFlag() {
    assertThat(keeps("|~ \"a.b\"", "a\nb")).isFalse();
    assertThat(keeps("|~ \"(?s)a.b\"", "a\nb")).isTrue();
  }

  @Test
  void keepsTheLineAndMergesStructuredMetadataIntoTheLabels() {
    LogPipeline p = LogPipeline.of(LogQL.parseSelector("{app=\"web\"} |= \"x\""));
    LogLine out = p.forStream(STREAM).process(1, "x marks", Labels.of("trace_id", "abc"));
    assertThat(out).isEqualTo(new LogLine("x marks", Labels.of("app", "web", "trace_id", "abc")));
  }

  @Test
  void anEmptyPipelineIsANoop() {
    LogPipeline p = LogPipeline.of(LogQL.parseSelector("{app=\"web\"}"));
    assertThat(p.isNoop()).isTrue();
    assertThat(p.forStream(STREAM).process(1, "l", Labels.EMPTY)).isEqualTo(new LogLine("l", STREAM));
    assertThat(LogPipeline.of(LogQL.parseSelector("{app=\"web\"} != \"x\"")).isNoop()).isFalse();
  }
}
