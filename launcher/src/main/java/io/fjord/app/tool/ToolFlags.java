package io.fjord.app.tool;

import io.fjord.app.config.FjordConfig;
import io.fjord.common.http.ApiException;
import io.fjord.common.tenant.TenantResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line shared by Fjord's Kafka tools ({@code fjord backfill}, {@code fjord replay}):
 * {@code --flag value} or {@code --flag=value} (one or two dashes), plus {@code fjord}'s own
 * {@code -config.file=F} and {@code -section.key=value} overrides (a flag holding a dot), so a tool
 * reads the same configuration as the servers. {@link #read} splits the arguments; each tool then
 * interprets its own {@link #flags()}, with the shared checks below. Immutable.
 */
public final class ToolFlags {
  /** Where the tools reach Kafka when neither a flag nor the configuration says. */
  public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

  private final List<Flag> flags;
  private final Path configFile;
  private final Map<String, String> overrides;

  /** One tool flag: its name without dashes, its value, and the argument as typed (for messages). */
  public record Flag(String name, String value, String arg) {}

  private ToolFlags(List<Flag> flags, Path configFile, Map<String, String> overrides) {
    this.flags = List.copyOf(flags);
    this.configFile = configFile;
    this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  /**
   * Splits {@code args}.
   *
   * @param exampleFlag a flag of the tool, named in the message for a value without its flag
   */
  public static ToolFlags read(List<String> args, String exampleFlag) throws ToolUsageException {
    List<Flag> flags = new ArrayList<>();
    Path configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        throw new ToolUsageException("unexpected argument \"" + arg + "\" (every value follows its flag, e.g. --"
            + exampleFlag + " " + arg + ")");
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
          throw new ToolUsageException("flag --" + flag + " needs a value");
        }
        value = args.get(++i);
      }
      if (!configKey) {
        flags.add(new Flag(flag, value, arg));
      } else if (flag.equals("config.file")) {
        configFile = Path.of(value);
      } else if (!flag.equals("config.expand-env")) {
        overrides.put(flag, value);
      }
    }
    return new ToolFlags(flags, configFile, overrides);
  }

  /** The tool's own flags, in the order given. */
  public List<Flag> flags() {
    return flags;
  }

  /** {@code -config.file}, or null. */
  public Path configFile() {
    return configFile;
  }

  /** The {@code -section.key=value} overrides, in the order given. */
  public Map<String, String> overrides() {
    return overrides;
  }

  /** {@code value}, refused when blank. */
  public static String nonEmpty(String flag, String value) throws ToolUsageException {
    if (value.isBlank()) {
      throw new ToolUsageException("--" + flag + " needs a value");
    }
    return value;
  }

  /** {@code value} when it is a comma-separated list of host:port. */
  public static String bootstrapServers(String value) throws ToolUsageException {
    for (String server : value.split(",")) {
      int colon = server.lastIndexOf(':');
      boolean ok = colon > 0 && colon < server.length() - 1
          && server.substring(colon + 1).chars().allMatch(Character::isDigit);
      if (!ok) {
        throw new ToolUsageException("--bootstrap-servers: \"" + server + "\" is not host:port");
      }
    }
    return value;
  }

  /** {@code value} when the push API would accept it as a tenant id. */
  public static String tenant(String value) throws ToolUsageException {
    try {
      return new TenantResolver(true, false).writeTenant(value);
    } catch (ApiException e) {
      throw new ToolUsageException("--tenant: " + e.getMessage());
    }
  }

  /** The brokers to use: {@code --bootstrap-servers}, else the configuration's, else {@link #DEFAULT_BOOTSTRAP}. */
  public static String bootstrap(String given, FjordConfig config) {
    if (given != null) {
      return given;
    }
    return config.kafka().bootstrapServers().isBlank() ? DEFAULT_BOOTSTRAP : config.kafka().bootstrapServers();
  }
}
