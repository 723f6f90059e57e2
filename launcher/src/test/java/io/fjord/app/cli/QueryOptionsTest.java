package io.fjord.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryOptionsTest {
  /** 2023-11-14T22:13:20Z. */
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
  private static final long NOW = 1_700_000_000_000_000_000L;

  private static QueryOptions parse(String... args) throws UsageException {
    return QueryOptions.parse(List.of(args), CLOCK);
  }

  @Test
  void defaultsFollowLogcli() throws Exception {
    assertThat(parse("{app=\"a\"}")).isEqualTo(new QueryOptions("{app=\"a\"}", "http://127.0.0.1:3100", null,
        NOW - 3_600_000_000_000L, NOW, 30, false, OutputMode.DEFAULT, false, null));
  }

  @Test
  void everyFlagInBothSpellings() throws Exception {
    QueryOptions o = parse("--addr=http://h:3200/", "{a=\"b\"} |= \"x\"", "--org-id", "t1", "--since", "5m",
        "--limit=7", "--forward", "-o", "jsonl", "--step=30s", "--tail");
    assertThat(o).isEqualTo(new QueryOptions("{a=\"b\"} |= \"x\"", "http://h:3200", "t1",
        NOW - 300_000_000_000L, NOW, 7, true, OutputMode.JSONL, true, Duration.ofSeconds(30)));
  }

  @Test
  void fromAndToAreRfc3339AndOverrideSince() throws Exception {
    QueryOptions o = parse("{a=\"b\"}", "--since=5m", "--from=2023-11-14T22:00:00Z", "--to=2023-11-14T23:00:00.5+01:00");
    assertThat(o.startNanos()).isEqualTo(1_699_999_200_000_000_000L);
    assertThat(o.endNanos()).isEqualTo(1_699_999_200_500_000_000L);
  }

  @ParameterizedTest
  @CsvSource({"http://h:3100, http://h:3100", "https://h/, https://h", "http://gw:80/loki/, http://gw:80/loki"})
  void theAddressMayCarryAPathPrefix(String flag, String addr) throws Exception {
    assertThat(parse("{a=\"b\"}", "--addr=" + flag).addr()).isEqualTo(addr);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                       | a LogQL query is required",
      "{a=\"b\"} {c=\"d\"}                     | only one query",
      "{a=\"b\"} --nope=1                       | unknown flag --nope=1",
      "{a=\"b\"} --limit                        | --limit needs a value",
      "{a=\"b\"} --limit=0                      | --limit: \"0\" is not a positive integer",
      "{a=\"b\"} --limit=ten                    | --limit: \"ten\" is not a positive integer",
      "{a=\"b\"} --since=yesterday              | --since: \"yesterday\" is not a positive duration",
      "{a=\"b\"} --step=0s                      | --step: \"0s\" is not a positive duration",
      "{a=\"b\"} --from=2023-11-14              | --from: \"2023-11-14\" is not an RFC3339 time",
      "{a=\"b\"} --from=2023-11-14T23:00:00Z    | --from must be before --to",
      "{a=\"b\"} --output=yaml                  | unknown output mode \"yaml\"",
      "{a=\"b\"} --forward=true                 | --forward takes no value",
      "{a=\"b\"} --addr=127.0.0.1:3100          | --addr: \"127.0.0.1:3100\" is not a server address",
      "{a=\"b\"} --addr=ftp://h:3100           | --addr: \"ftp://h:3100\" is not a server address"})
  void badUsageIsExplained(String line, String message) {
    String[] args = line.isBlank() ? new String[0] : line.split(" ");
    assertThatThrownBy(() -> QueryOptions.parse(Arrays.asList(args), CLOCK))
        .isInstanceOf(UsageException.class).hasMessageContaining(message);
  }
}
