package io.fjord.app.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code server.log_level} and {@code server.log_format} at start-up: replaces the root
 * logger's appenders with one stdout appender writing logfmt ({@link LogfmtLayout}) or JSON
 * (logback's {@link JsonEncoder}: one object per line with timestamp, level, loggerName, message,
 * throwable...), and sets the root level. The quiet levels logback.xml gives Kafka, Jetty and
 * Javalin stay. Called once from {@code main}, before any role starts; not for concurrent use.
 */
public final class LogSetup {
  static final String APPENDER = "STDOUT";

  private LogSetup() {}

  public static void apply(String level, String format) {
    apply((LoggerContext) LoggerFactory.getILoggerFactory(), level, format);
  }

  static void apply(LoggerContext context, String level, String format) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    apply(context, level, format, appender);
  }

  /** Installs {@code appender} (not started yet) with the format's encoder as the root's only appender. */
  static void apply(LoggerContext context, String level, String format, OutputStreamAppender<ILoggingEvent> appender) {
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    appender.setName(APPENDER);
    appender.setEncoder(encoder(context, format));
    appender.start();
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    root.setLevel(Level.toLevel(level, Level.INFO));
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    return switch (format) {
      case "json" -> {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithContext(false);
        json.start();
        yield json;
      }
      case "logfmt" -> {
        LayoutWrappingEncoder<ILoggingEvent> wrapping = new LayoutWrappingEncoder<>();
        wrapping.setContext(context);
        LogfmtLayout layout = new LogfmtLayout();
        layout.setContext(context);
        layout.start();
        wrapping.setLayout(layout);
        wrapping.start();
        yield wrapping;
      }
      default -> throw new IllegalArgumentException("unknown log format " + format);
    };
  }
}
