package io.fjord.app.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The root log level of this process (logback's root logger), read and changed at run time. Accepts
 * Loki's level names: {@code debug}, {@code info}, {@code warn}, {@code error}. Thread-safe (logback's
 * levels are).
 */
public final class LogLevels {
  public static final List<String> NAMES = List.of("debug", "info", "warn", "error");

  private final Logger root;

  public LogLevels() {
    this((LoggerContext) LoggerFactory.getILoggerFactory());
  }

  LogLevels(LoggerContext context) {
    this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** The current level, lower case (e.g. {@code info}). */
  public String current() {
    Level l = root.getEffectiveLevel();
    return l.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * Sets the root level.
   *
   * @throws IllegalArgumentException when {@code name} is not one of {@link #NAMES}
   */
  public void set(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (!NAMES.contains(n)) {
      throw new IllegalArgumentException("invalid log level '" + name + "', expected one of " + NAMES);
    }
    root.setLevel(Level.toLevel(n));
  }
}
