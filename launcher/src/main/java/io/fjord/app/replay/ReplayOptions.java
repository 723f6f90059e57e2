package io.fjord.app.replay;

import io.fjord.app.tool.ToolFlags;
import io.fjord.app.tool.ToolUsageException;
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

  static ReplayOptions parse(List<String> args) throws ToolUsageException {
    Position from = null;
    Position to = null;
    String tenant = null;
    String bootstrap = null;
    String logsTopic = null;
    ToolFlags read = ToolFlags.read(args, "from");
    for (ToolFlags.Flag f : read.flags()) {
      String flag = f.name();
      String value = f.value();
      String arg = f.arg();
      switch (flag) {
        case "from" -> from = Position.parse(flag, value);
        case "to" -> to = Position.parse(flag, value);
        case "tenant" -> tenant = ToolFlags.tenant(value);
        case "bootstrap-servers" -> bootstrap = ToolFlags.bootstrapServers(value);
        case "logs-topic" -> logsTopic = ToolFlags.nonEmpty(flag, value);
        default -> throw new ToolUsageException("unknown flag " + arg);
      }
    }
    if (from == null) {
      throw new ToolUsageException("--from is required: an RFC3339 time, an offset (0 for the oldest record kept)"
          + " or PARTITION:OFFSET pairs");
    }
    if (from instanceof Position.Time f && to instanceof Position.Time t && !t.time().isAfter(f.time())) {
      throw new ToolUsageException("--to " + t.time() + " is not after --from " + f.time());
    }
    if (from instanceof Position.Offset f && to instanceof Position.Offset t && t.offset() <= f.offset()) {
      throw new ToolUsageException("--to " + t.offset() + " is not after --from " + f.offset());
    }
    return new ReplayOptions(from, to, tenant, bootstrap, logsTopic, read.configFile(), read.overrides());
  }
}
