package io.fjord.app.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.Locale;

/**
 * Formats a log event as one logfmt line, the format Loki itself logs in and its {@code logfmt}
 * parser reads: {@code ts=<RFC3339> level=<level> logger=<name> thread=<name> msg="..."}, plus
 * {@code err="..."} with the exception and its stack trace when there is one. A value is quoted when
 * it is empty or holds a space, '=', '"' or a control character; inside quotes '"' and '\' are
 * escaped and newlines written as {@code \n}, so an event is always exactly one line. Thread-safe
 * (stateless).
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder b = new StringBuilder(128);
    b.append("ts=").append(Instant.ofEpochMilli(event.getTimeStamp()));
    b.append(" level=").append(event.getLevel().toString().toLowerCase(Locale.ROOT));
    b.append(" logger=");
    value(b, event.getLoggerName());
    b.append(" thread=");
    value(b, event.getThreadName());
    b.append(" msg=");
    value(b, event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      b.append(" err=");
      value(b, ThrowableProxyUtil.asString(thrown).stripTrailing());
    }
    return b.append(CoreConstants.LINE_SEPARATOR).toString();
  }

  /** Appends {@code v} as a logfmt value, quoted and escaped when it must be. */
  static void value(StringBuilder b, String v) {
    String s = v == null ? "" : v;
    if (!needsQuotes(s)) {
      b.append(s);
      return;
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static boolean needsQuotes(String s) {
    if (s.isEmpty()) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '=' || c == '"' || c == '\\') {
        return true;
      }
    }
    return false;
  }
}
