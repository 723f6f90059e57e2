package io.fjord.app.backfill;

import io.fjord.app.tool.ToolFlags;
import io.fjord.app.tool.ToolUsageException;
import io.fjord.distributor.push.LabelPair;
import io.fjord.schemas.labels.LabelNames;
import io.fjord.schemas.labels.LabelsParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of {@code fjord backfill}. Flags take {@code --flag=value} or {@code --flag
 * value}; {@code -config.file=PATH} and {@code -SECTION.KEY=VALUE} are read as by {@code fjord}
 * itself, so the backfill validates against the same {@code limits_config} as the distributors.
 * Every problem is reported naming its flag. Immutable.
 *
 * @param bootstrapServers null: {@code kafka.bootstrap_servers} from the config, else 127.0.0.1:9092
 * @param tenant null: {@code fake}, the tenant of every push when auth is off
 * @param logsTopic null: {@code kafka.topic} from the config
 * @param group the consumer group that holds the job's committed offsets
 */
record BackfillOptions(String topic, LineSpec spec, String bootstrapServers, String tenant, String logsTopic,
    String group, Path configFile, Map<String, String> overrides) {
  static final String GROUP_PREFIX = "fjord-backfill-";

  BackfillOptions {
    overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  static BackfillOptions parse(List<String> args) throws ToolUsageException {
    String topic = null;
    LineFormat format = LineFormat.RAW;
    String labelsText = null;
    List<String> labelFrom = new ArrayList<>();
    String timestampFrom = null;
    String bootstrap = null;
    String tenant = null;
    String logsTopic = null;
    String group = null;
    ToolFlags read = ToolFlags.read(args, "topic");
    for (ToolFlags.Flag f : read.flags()) {
      String flag = f.name();
      String value = f.value();
      String arg = f.arg();
      switch (flag) {
        case "topic" -> topic = ToolFlags.nonEmpty(flag, value);
        case "format" -> format = LineFormat.parse(value);
        case "labels" -> labelsText = value;
        case "label-from" -> labelFrom.add(value);
        case "timestamp-from" -> timestampFrom = ToolFlags.nonEmpty(flag, value);
        case "bootstrap-servers" -> bootstrap = ToolFlags.bootstrapServers(value);
        case "tenant" -> tenant = ToolFlags.tenant(value);
        case "logs-topic" -> logsTopic = ToolFlags.nonEmpty(flag, value);
        case "group" -> group = ToolFlags.nonEmpty(flag, value);
        default -> throw new ToolUsageException("unknown flag " + arg);
      }
    }
    if (topic == null) {
      throw new ToolUsageException("--topic is required: the Kafka topic of application logs to import");
    }
    if (labelsText == null) {
      throw new ToolUsageException("--labels is required: the stream labels of every line, e.g. --labels '{app=\"shop\"}'");
    }
    if (!format.hasFields() && !labelFrom.isEmpty()) {
      throw new ToolUsageException("--label-from needs --format json or logfmt (raw lines have no fields)");
    }
    if (!format.hasFields() && timestampFrom != null) {
      throw new ToolUsageException("--timestamp-from needs --format json or logfmt (raw lines have no fields)");
    }
    if (topic.equals(logsTopic)) {
      throw new ToolUsageException("--topic " + topic + " is the logs topic itself");
    }
    List<LabelPair> labels = labels(labelsText);
    Map<String, String> labelFields = labelFields(labelFrom, labels);
    LineSpec spec = new LineSpec(format, labels, labelFields, timestampFrom);
    return new BackfillOptions(topic, spec, bootstrap, tenant, logsTopic, group != null ? group : GROUP_PREFIX + topic,
        read.configFile(), read.overrides());
  }

  private static List<LabelPair> labels(String text) throws ToolUsageException {
    List<String[]> pairs;
    try {
      pairs = LabelsParser.parsePairs(text.strip());
    } catch (LabelsParser.LabelsSyntaxException e) {
      throw new ToolUsageException("--labels: cannot read " + text + ": " + e.getMessage()
          + " (write it as a stream selector, e.g. '{app=\"shop\", env=\"prod\"}')");
    }
    if (pairs.isEmpty()) {
      throw new ToolUsageException("--labels: at least one label is required, e.g. '{app=\"shop\"}'");
    }
    List<LabelPair> out = new ArrayList<>(pairs.size());
    Set<String> seen = new HashSet<>();
    for (String[] p : pairs) {
      if (!LabelNames.isValid(p[0])) {
        throw new ToolUsageException("--labels: invalid label name \"" + p[0] + "\": must match [a-zA-Z_][a-zA-Z0-9_]*");
      }
      if (!seen.add(p[0])) {
        throw new ToolUsageException("--labels: label " + p[0] + " is given twice");
      }
      if (p[1].isEmpty()) {
        throw new ToolUsageException("--labels: label " + p[0] + " has an empty value");
      }
      out.add(new LabelPair(p[0], p[1]));
    }
    out.sort(Comparator.comparing(LabelPair::name));
    return out;
  }

  /** {@code field} or {@code label=field} per flag, as label name → field name. */
  private static Map<String, String> labelFields(List<String> flags, List<LabelPair> labels)
      throws ToolUsageException {
    Set<String> taken = new HashSet<>();
    labels.forEach(l -> taken.add(l.name()));
    Map<String, String> out = new LinkedHashMap<>();
    for (String f : flags) {
      int eq = f.indexOf('=');
      String label = eq < 0 ? f : f.substring(0, eq);
      String field = eq < 0 ? f : f.substring(eq + 1);
      if (field.isEmpty()) {
        throw new ToolUsageException("--label-from: \"" + f + "\" names no field");
      }
      if (!LabelNames.isValid(label)) {
        throw new ToolUsageException("--label-from: \"" + label + "\" is not a valid label name (must match "
            + "[a-zA-Z_][a-zA-Z0-9_]*); name the label: --label-from " + suggest(label) + "=" + field);
      }
      if (!taken.add(label)) {
        throw new ToolUsageException("--label-from: label " + label + " is already set by --labels or another --label-from");
      }
      out.put(label, field);
    }
    return out;
  }

  private static String suggest(String field) {
    String s = field.replaceAll("[^a-zA-Z0-9_]", "_");
    return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
  }
}
