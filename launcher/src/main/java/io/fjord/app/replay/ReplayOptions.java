package io.fjord.app.replay;

import io.fjord.common.http.ApiException;
import io.fjord.common.tenant.TenantResolver;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed arguments of {@code fjord replay}. Flags take {@code --flag=value} or {@code --flag value};
 * {@code -config.file=PATH} and {@code -SECTION.KEY=VALUE} are read as by {@code fjord} itself, so the
 * replay writes to the same store, index, codec and block size as the ingesters. Every problem is
 * reported naming its flag. Immutable.
 *
 * @param to null: the end of every partition as seen when the replay starts
 * @param tenant null: every tenant
 * @param bootstrapServers null: {@code kafka.bootstrap_servers} from the config, else 127.0.0.1:9092
 * @param logsTopic null: {@code kafka.topic} from the config
 */
record ReplayOptions(Position from, Position to, String tenant, String bootstrapServers, String logsTopic,
    Path configFile, Map<String, String> overrides) {

  ReplayOptions {
    overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  static ReplayOptions parse(List<String> args) throws ReplayUsageException {
    Position from = null;
    Position to = null;
    String tenant = null;
    String bootstrap = null;
    String logsTopic = null;
    Path configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        throw new ReplayUsageException("unexpected argument \"" + arg + "\" (every value follows its flag, e.g. --from "
            + arg + ")");
      }
      String flag = arg.replaceFirst("^--?", "");
      String value = null;
      int eq = flag.indexOf('=');
      if (eq >= 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      boolean configKey = flag.contains(".");
      if (value == null) {
        if (i + 1 >= args.size() || (args.get(i + 1).startsWith("-") && !configKey)) {
          throw new ReplayUsageException("flag --" + flag + " needs a value");
        }
        value = args.get(++i);
      }
      if (configKey) {
        if (flag.equals("config.file")) {
          configFile = Path.of(value);
        } else if (!flag.equals("config.expand-env")) {
          overrides.put(flag, value);
        }
        continue;
      }
      switch (flag) {
        case "from" -> from = Position.parse(flag, value);
        case "to" -> to = Position.parse(flag, value);
        case "tenant" -> tenant = tenant(value);
        case "bootstrap-servers" -> bootstrap = bootstrap(value);
        case "logs-topic" -> logsTopic = nonEmpty(flag, value);
        default -> throw new ReplayUsageException("unknown flag " + arg);
      }
    }
    if (from == null) {
      throw new ReplayUsageException("--from is required: an RFC3339 time, an offset (0 for the oldest record kept)"
          + " or PARTITION:OFFSET pairs");
    }
    if (from instanceof Position.Time f && to instanceof Position.Time t && !t.time().isAfter(f.time())) {
      throw new ReplayUsageException("--to " + t.time() + " is not after --from " + f.time());
    }
    if (from instanceof Position.Offset f && to instanceof Position.Offset t && t.offset() <= f.offset()) {
      throw new ReplayUsageException("--to " + t.offset() + " is not after --from " + f.offset());
    }
    return new ReplayOptions(from, to, tenant, bootstrap, logsTopic, configFile, overrides);
  }

  private static String nonEmpty(String flag, String value) throws ReplayUsageException {
    if (value.isBlank()) {
      throw new ReplayUsageException("--" + flag + " needs a value");
    }
    return value;
  }

  private static String bootstrap(String value) throws ReplayUsageException {
    for (String server : value.split(",")) {
      int colon = server.lastIndexOf(':');
      boolean ok = colon > 0 && colon < server.length() - 1
          && server.substring(colon + 1).chars().allMatch(Character::isDigit);
      if (!ok) {
        throw new ReplayUsageException("--bootstrap-servers: \"" + server + "\" is not host:port");
      }
    }
    return value;
  }

  private static String tenant(String value) throws ReplayUsageException {
    try {
      return new TenantResolver(true, false).writeTenant(value);
    } catch (ApiException e) {
      throw new ReplayUsageException("--tenant: " + e.getMessage());
    }
  }
}
