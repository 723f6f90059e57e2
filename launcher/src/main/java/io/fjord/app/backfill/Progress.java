package io.fjord.app.backfill;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows how far a backfill is. On a terminal: one line redrawn in place (at most five times a
 * second) with a bar, the share done, lines per second and the lag (records of the source topic
 * still to import). Elsewhere (a pipe, a log file): a plain line every {@code interval}. Time comes
 * from the injected clock. Single-threaded (the run's loop).
 */
final class Progress {
  private static final long REDRAW_MILLIS = 200;
  private static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final boolean terminal;
  private final Clock clock;
  private final long intervalMillis;
  private String topic;
  private long total;
  private long lastShownMillis;
  private long rateStartMillis;
  private long rateStartDone;
  private double rate;
  private int drawnWidth;

  Progress(PrintStream out, boolean terminal, Clock clock, Duration interval) {
    this.out = out;
    this.terminal = terminal;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  /** The run starts with {@code total} records to read. */
  void start(String topic, long total) {
    this.topic = topic;
    this.total = total;
    long now = clock.millis();
    lastShownMillis = now;
    rateStartMillis = now;
    rateStartDone = 0;
  }

  /** {@code done} records are imported, {@code lag} remain; shows it when it is time to. */
  void update(long done, long lag) {
    long now = clock.millis();
    long since = now - lastShownMillis;
    if (since < (terminal ? REDRAW_MILLIS : intervalMillis)) {
      return;
    }
    measure(done, now, terminal ? 1000 : 0);
    show(done, lag);
    lastShownMillis = now;
  }

  /** The run ended; the bar gets its last state and a line break. */
  void finish(long done, long lag) {
    measure(done, clock.millis(), 0);
    if (terminal) {
      show(done, lag);
      out.println();
    } else if (done > 0) {
      show(done, lag);
    }
    out.flush();
  }

  /** Lines per second over the window since the last measure, once the window is at least {@code minMillis}. */
  private void measure(long done, long now, long minMillis) {
    long elapsed = now - rateStartMillis;
    if (elapsed > 0 && elapsed >= minMillis) {
      rate = (done - rateStartDone) * 1000.0 / elapsed;
      rateStartMillis = now;
      rateStartDone = done;
    }
  }

  private void show(long done, long lag) {
    if (terminal) {
      String line = String.format(Locale.ROOT, "\r%s %3d%%  %,d/%,d lines  %,.0f lines/s  lag %,d",
          bar(done), percent(done), done, total, rate, lag);
      int width = line.length();
      out.print(line + " ".repeat(Math.max(0, drawnWidth - width)));
      drawnWidth = width;
    } else {
      out.printf(Locale.ROOT, "backfill %s: %d/%d lines (%d%%), %.0f lines/s, lag %d%n", topic, done, total,
          percent(done), rate, lag);
    }
    out.flush();
  }

  private int percent(long done) {
    return total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
  }

  private String bar(long done) {
    int filled = total <= 0 ? BAR_WIDTH : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
    return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
  }
}
