package io.fjord.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fjord.common.config.ConfigJackson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link FjordConfig} from YAML: {@code ${VAR}} and {@code ${VAR:-default}} are replaced
 * from the environment first, then command-line overrides ({@code -section.key=value}) are
 * applied, then the tree is bound and validated. Anything wrong fails start-up with the file, the
 * line and the key; an unknown key also gets the nearest valid one. Stateless.
 */
public final class ConfigLoader {
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final ObjectMapper yaml;
  private final Function<String, String> env;

  public ConfigLoader(Function<String, String> env) {
    this.env = env;
    this.yaml = YAMLMapper.builder()
        .addModule(ConfigJackson.module())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
  }

  public static ConfigLoader withSystemEnv() {
    return new ConfigLoader(System::getenv);
  }

  /** Loads {@code file} (null = defaults only) with {@code overrides} (dotted key → value) on top. */
  public FjordConfig load(Path file, Map<String, String> overrides) {
    String text = "";
    String source = "(defaults)";
    if (file != null) {
      source = file.toString();
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
      }
    }
    return parse(source, text, overrides);
  }

  FjordConfig parse(String source, String text, Map<String, String> overrides) {
    String expanded = expandEnv(source, text);
    try {
      JsonNode tree = yaml.readTree(expanded);
      if (tree != null && !tree.isMissingNode() && !tree.isNull() && !(tree instanceof ObjectNode)) {
        throw new ConfigException(source + ": the config must be a YAML mapping of sections");
      }
      if (overrides.isEmpty() && tree instanceof ObjectNode) {
        // bound from the text itself, so that errors carry the line they are on
        return yaml.readValue(expanded, FjordConfig.class);
      }
      ObjectNode root = tree instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
      overrides.forEach((key, value) -> override(root, key, value));
      return yaml.treeToValue(root, FjordConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(whereKey(source, expanded, e) + "unknown key '" + e.getPropertyName() + "'"
          + section(e) + nearest(e.getPropertyName(), e.getKnownPropertyIds()));
    } catch (JsonMappingException e) {
      String why = rootMessage(e);
      throw new ConfigException(where(source, expanded, e) + "invalid value for '" + path(e) + "': " + why, e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
  }

  String expandEnv(String source, String text) {
    Matcher m = ENV.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = env.apply(m.group(1));
      if (value == null) {
        value = m.group(2);
      }
      if (value == null) {
        throw new ConfigException(source + ": environment variable " + m.group(1)
            + " is not set and ${" + m.group(1) + "} has no default (write ${" + m.group(1) + ":-value})");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static void override(ObjectNode root, String dottedKey, String value) {
    String[] parts = dottedKey.replace('-', '_').split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    node.put(parts[parts.length - 1], value);
  }

  private static String where(String source, String text, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    if (loc == null || loc.getLineNr() <= 0 || text.isEmpty()) {
      return source + ": ";
    }
    return source + ":" + loc.getLineNr() + ": ";
  }

  /** Jackson reports the position after the key's value; the key's own line is the one to show. */
  private static String whereKey(String source, String text, UnrecognizedPropertyException e) {
    JsonLocation loc = e.getLocation();
    if (loc == null || loc.getLineNr() <= 0 || text.isEmpty()) {
      return source + ": ";
    }
    String[] lines = text.split("\n", -1);
    Pattern keyLine = Pattern.compile("^\\s*(-\\s+)?\"?" + Pattern.quote(e.getPropertyName()) + "\"?\\s*:");
    for (int i = Math.min(loc.getLineNr(), lines.length) - 1; i >= 0; i--) {
      if (keyLine.matcher(lines[i]).find()) {
        return source + ":" + (i + 1) + ": ";
      }
    }
    return source + ":" + loc.getLineNr() + ": ";
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      }
    }
    return sb.toString();
  }

  private static String section(UnrecognizedPropertyException e) {
    String p = path(e);
    int dot = p.lastIndexOf('.');
    return dot < 0 ? " at the top level" : " in section '" + p.substring(0, dot) + "'";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String msg = t instanceof JsonProcessingException jp ? jp.getOriginalMessage() : t.getMessage();
    return msg == null ? t.getClass().getSimpleName() : msg;
  }

  static String nearest(String key, Collection<Object> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Object k : known) {
      if (k.toString().startsWith(key) || key.startsWith(k.toString())) {
        return " (did you mean '" + k + "'?)";
      }
      int d = levenshtein(key, k.toString());
      if (d < bestDistance) {
        bestDistance = d;
        best = k.toString();
      }
    }
    return best != null && bestDistance <= Math.max(3, key.length() / 2) ? " (did you mean '" + best + "'?)" : "";
  }

  private static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
