package io.fjord.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final BatchWriterTest.MutableClock clock = new BatchWriterTest.MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutATerminalAPlainLineEveryInterval() {
    Progress p = new Progress(out, false, clock, Duration.ofSeconds(5));
    p.start("app-logs", 100);
    p.update(10, 90);
    clock.advance(Duration.ofSeconds(4));
    p.update(40, 60);
    assertThat(text()).as("not yet five seconds").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    p.update(50, 50); // 50 lines in 5 s
    assertThat(text()).isEqualTo("backfill app-logs: 50/100 lines (50%), 10 lines/s, lag 50\n");
    clock.advance(Duration.ofSeconds(2));
    p.finish(100, 0); // 50 more in 2 s
    assertThat(text()).endsWith("\nbackfill app-logs: 100/100 lines (100%), 25 lines/s, lag 0\n");
  }

  @Test
  void onATerminalOneLineRedrawnInPlace() {
    Progress p = new Progress(out, true, clock, Duration.ofSeconds(5));
    p.start("app-logs", 2000);
    clock.advance(Duration.ofSeconds(1));
    p.update(1000, 1000);
    assertThat(text()).isEqualTo("\r[############............]  50%  1,000/2,000 lines  1,000 lines/s  lag 1,000");
    clock.advance(Duration.ofMillis(100));
    p.update(1100, 900);
    assertThat(text()).as("redrawn at most five times a second").doesNotContain("1,100");
    clock.advance(Duration.ofSeconds(1));
    p.finish(2000, 0);
    // 909 (1,000 lines in 1.1 s) and lag 0 are six characters shorter than before: six blanks wipe them
    assertThat(text()).endsWith("\r[########################] 100%  2,000/2,000 lines  909 lines/s  lag 0      \n")
        .doesNotContain("\n\r");
  }
}
