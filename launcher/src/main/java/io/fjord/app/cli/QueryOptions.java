package io.fjord.app.cli;

import io.fjord.common.config.LokiDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The parsed arguments of {@code fjord query}, with logcli's flag names and defaults: {@code
 * --addr} http://127.0.0.1:3100, {@code --since} 1h (or {@code --from}/{@code --to} in RFC3339),
 * {@code --limit} 30, backward unless {@code --forward}, {@code --output} default. Flags take
 * {@code --flag=value} or {@code --flag value}. Immutable.
 *
 * @param step null for the server's default
 * @param orgId null when no X-Scope-OrgID is sent
 */
record QueryOptions(String query, String addr, String orgId, long startNanos, long endNanos, int limit,
    boolean forward, OutputMode output, boolean tail, Duration step) {
  static final String DEFAULT_ADDR = "http://127.0.0.1:3100";

  /** Parses {@code args} (everything after {@code query}); times are measured from {@code clock}. */
  static QueryOptions parse(List<String> args, Clock clock) throws UsageException {
    String query = null;
    String addr = DEFAULT_ADDR;
    String orgId = null;
    Duration since = Duration.ofHours(1);
    Instant from = null;
    Instant to = null;
    int limit = 30;
    boolean forward = false;
    OutputMode output = OutputMode.DEFAULT;
    boolean tail = false;
    Duration step = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-")) {
        if (query != null) {
          throw new UsageException("only one query may be given; quote it: fjord query '{app=\"x\"}'");
        }
        query = arg;
        continue;
      }
      String flag = arg.replaceFirst("^--?", "");
      String value = null;
      int eq = flag.indexOf('=');
      if (eq >= 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      if (flag.equals("forward") || flag.equals("tail") || flag.equals("t")) {
        if (value != null) {
          throw new UsageException("flag --" + flag + " takes no value");
        }
        if (flag.equals("forward")) {
          forward = true;
        } else {
          tail = true;
        }
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new UsageException("flag --" + flag + " needs a value");
        }
        value = args.get(++i);
      }
      switch (flag) {
        case "addr" -> addr = address(value);
        case "org-id" -> orgId = value;
        case "since" -> since = duration(flag, value);
        case "from" -> from = time(flag, value);
        case "to" -> to = time(flag, value);
        case "limit" -> limit = limit(value);
        case "output", "o" -> output = OutputMode.parse(value);
        case "step" -> step = duration(flag, value);
        default -> throw new UsageException("unknown flag " + arg);
      }
    }
    if (query == null || query.isBlank()) {
      throw new UsageException("a LogQL query is required, e.g. fjord query '{app=\"shop\"}'");
    }
    Instant end = to != null ? to : clock.instant();
    Instant start = from != null ? from : end.minus(since);
    if (!start.isBefore(end)) {
      throw new UsageException("--from must be before --to");
    }
    return new QueryOptions(query, addr, orgId, nanos(start), nanos(end), limit, forward, output, tail, step);
  }

  private static String address(String value) throws UsageException {
    if (!value.matches("https?://[^/\\s]+(/\\S*)?")) {
      throw new UsageException("--addr: \"" + value + "\" is not a server address such as http://127.0.0.1:3100");
    }
    return value.replaceAll("/+$", "");
  }

  private static Duration duration(String flag, String value) throws UsageException {
    try {
      Duration d = LokiDuration.parse(value);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("not positive");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + flag + ": \"" + value + "\" is not a positive duration such as 30m or 1h");
    }
  }

  private static Instant time(String flag, String value) throws UsageException {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException("--" + flag + ": \"" + value + "\" is not an RFC3339 time such as 2024-05-01T10:00:00Z");
    }
  }

  private static int limit(String value) throws UsageException {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--limit: \"" + value + "\" is not a positive integer");
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
