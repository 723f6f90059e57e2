package io.fjord.app.backfill;

import io.fjord.common.http.ApiException;
import io.fjord.common.tenant.TenantResolver;
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

  static BackfillOptions parse(List<String> args) throws BackfillUsageException {
    String topic = null;
    LineFormat format = LineFormat.RAW;
    String labelsText = null;
    List<String> labelFrom = new ArrayList<>();
    String timestampFrom = null;
    String bootstrap = null;
    String tenant = null;
    String logsTopic = null;
    String group = null;
    Path configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        throw new BackfillUsageException("unexpected argument \"" + arg + "\" (every value follows its flag, e.g. --topic "
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
          throw new BackfillUsageException("flag --" + flag + " needs a value");
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
        case "topic" -> topic = nonEmpty(flag, value);
        case "format" -> format = LineFormat.parse(value);
        case "labels" -> labelsText = value;
        case "label-from" -> labelFrom.add(value);
        case "timestamp-from" -> timestampFrom = nonEmpty(flag, value);
        case "bootstrap-servers" -> bootstrap = bootstrap(value);
        case "tenant" -> tenant = tenant(value);
        case "logs-topic" -> logsTopic = nonEmpty(flag, value);
        case "group" -> group = nonEmpty(flag, value);
        default -> throw new BackfillUsageException("unknown flag " + arg);
      }
    }
    if (topic == null) {
      throw new BackfillUsageException("--topic is required: the Kafka topic of application logs to import");
    }
    if (labelsText == null) {
      throw new BackfillUsageException("--labels is required: the stream labels of every line, e.g. --labels '{app=\"shop\"}'");
    }
    if (!format.hasFields() && !labelFrom.isEmpty()) {
      throw new BackfillUsageException("--label-from needs --format json or logfmt (raw lines have no fields)");
    }
    if (!format.hasFields() && timestampFrom != null) {
      throw new BackfillUsageException("--timestamp-from needs --format json or logfmt (raw lines have no fields)");
    }
    if (topic.equals(logsTopic)) {
      throw new BackfillUsageException("--topic " + topic + " is the logs topic itself");
    }
    List<LabelPair> labels = labels(labelsText);
    Map<String, String> labelFields = labelFields(labelFrom, labels);
    LineSpec spec = new LineSpec(format, labels, labelFields, timestampFrom);
    return new BackfillOptions(topic, spec, bootstrap, tenant, logsTopic, group != null ? group : GROUP_PREFIX + topic,
        configFile, overrides);
  }

  private static List<LabelPair> labels(String text) throws BackfillUsageException {
    List<String[]> pairs;
    try {
      pairs = LabelsParser.parsePairs(text.strip());
    } catch (LabelsParser.LabelsSyntaxException e) {
      throw new BackfillUsageException("--labels: cannot read " + text + ": " + e.getMessage()
          + " (write it as a stream selector, e.g. '{app=\"shop\", env=\"prod\"}')");
    }
    if (pairs.isEmpty()) {
      throw new BackfillUsageException("--labels: at least one label is required, e.g. '{app=\"shop\"}'");
    }
    List<LabelPair> out = new ArrayList<>(pairs.size());
    Set<String> seen = new HashSet<>();
    for (String[] p : pairs) {
      if (!LabelNames.isValid(p[0])) {
        throw new BackfillUsageException("--labels: invalid label name \"" + p[0] + "\": must match [a-zA-Z_][a-zA-Z0-9_]*");
      }
      if (!seen.add(p[0])) {
        throw new BackfillUsageException("--labels: label " + p[0] + " is given twice");
      }
      if (p[1].isEmpty()) {
        throw new BackfillUsageException("--labels: label " + p[0] + " has an empty value");
      }
      out.add(new LabelPair(p[0], p[1]));
    }
    out.sort(Comparator.comparing(LabelPair::name));
    return out;
  }

  /** {@code field} or {@code label=field} per flag, as label name → field name. */
  private static Map<String, String> labelFields(List<String> flags, List<LabelPair> labels)
      throws BackfillUsageException {
    Set<String> taken = new HashSet<>();
    labels.forEach(l -> taken.add(l.name()));
    Map<String, String> out = new LinkedHashMap<>();
    for (String f : flags) {
      int eq = f.indexOf('=');
      String label = eq < 0 ? f : f.substring(0, eq);
      String field = eq < 0 ? f : f.substring(eq + 1);
      if (field.isEmpty()) {
        throw new BackfillUsageException("--label-from: \"" + f + "\" names no field");
      }
      if (!LabelNames.isValid(label)) {
        throw new BackfillUsageException("--label-from: \"" + label + "\" is not a valid label name (must match "
            + "[a-zA-Z_][a-zA-Z0-9_]*); name the label: --label-from " + suggest(label) + "=" + field);
      }
      if (!taken.add(label)) {
        throw new BackfillUsageException("--label-from: label " + label + " is already set by --labels or another --label-from");
      }
      out.put(label, field);
    }
    return out;
  }

  private static String suggest(String field) {
    String s = field.replaceAll("[^a-zA-Z0-9_]", "_");
    return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
  }

  private static String nonEmpty(String flag, String value) throws BackfillUsageException {
    if (value.isBlank()) {
      throw new BackfillUsageException("--" + flag + " needs a value");
    }
    return value;
  }

  private static String bootstrap(String value) throws BackfillUsageException {
    for (String server : value.split(",")) {
      int colon = server.lastIndexOf(':');
      boolean ok = colon > 0 && colon < server.length() - 1 && server.substring(colon + 1).chars().allMatch(Character::isDigit);
      if (!ok) {
        throw new BackfillUsageException("--bootstrap-servers: \"" + server + "\" is not host:port");
      }
    }
    return value;
  }

  private static String tenant(String value) throws BackfillUsageException {
    try {
      return new TenantResolver(true, false).writeTenant(value);
    } catch (ApiException e) {
      throw new BackfillUsageException("--tenant: " + e.getMessage());
    }
  }
}
