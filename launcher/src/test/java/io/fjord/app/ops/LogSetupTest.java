package io.fjord.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogSetupTest {

  @Test
  void logfmtWritesOneLinePerEventWithQuotedValues() {
    String out = capture("info", "logfmt", log -> {
      log.info("flushed {} chunks", 3);
      log.warn("bad \"value\" here");
      log.debug("not shown at info");
    });
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("ts=\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z level=info logger=test\\.logger thread=\\S+ "
        + "msg=\"flushed 3 chunks\"");
    assertThat(lines[1]).endsWith("level=warn logger=test.logger thread=" + Thread.currentThread().getName()
        + " msg=\"bad \\\"value\\\" here\"");
  }

  @Test
  void anExceptionStaysOnTheEventsLine() {
    String out = capture("info", "logfmt", log -> log.error("failed", new IllegalStateException("boom")));
    assertThat(out.split("\n")).hasSize(1);
    assertThat(out).contains(" err=\"java.lang.IllegalStateException: boom\\n\\tat ");
  }

  @Test
  void jsonWritesOneObjectPerLine() throws Exception {
    String out = capture("debug", "json", log -> {
      log.debug("line one");
      log.info("line \"two\"");
    });
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines[0]);
    JsonNode second = json.readTree(lines[1]);
    assertThat(first.get("level").asText()).isEqualTo("DEBUG");
    assertThat(first.get("message").asText()).isEqualTo("line one");
    assertThat(second.get("message").asText()).isEqualTo("line \"two\"");
    assertThat(second.get("loggerName").asText()).isEqualTo("test.logger");
  }

  @Test
  void theLevelApplies() {
    String out = capture("warn", "logfmt", log -> {
      log.info("hidden");
      log.warn("shown");
    });
    assertThat(out).doesNotContain("hidden").contains("msg=shown");
  }

  /** Runs {@code body} against a fresh logback context set up by LogSetup, returning what it wrote. */
  private static String capture(String level, String format, Consumer<Logger> body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setOutputStream(bytes);
    try {
      LogSetup.apply(context, level, format, appender);
      body.accept(context.getLogger("test.logger"));
    } finally {
      context.stop();
    }
    return bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
  }
}
