package io.fjord.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fjord.common.config.ByteSize;
import io.fjord.common.config.LokiDuration;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key with its type and default, read from the config records themselves
 * (their {@code @JsonProperty} names and their all-default instances). docs/configuration.md is
 * checked against it, so the reference cannot drift from the code. Stateless.
 */
public final class ConfigReference {
  /** One key: {@code section.key}, its YAML type and its default as YAML would write it. */
  public record Key(String path, String type, String defaultValue) {}

  /** Keys whose default is computed on the machine that starts, shown as a description instead. */
  private static final java.util.Map<String, String> COMPUTED_DEFAULTS = java.util.Map.of(
      "ingester.instance_id", "(host name)");

  private static final com.fasterxml.jackson.databind.ObjectMapper CONFIG_NAMES =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private ConfigReference() {}

  public static List<Key> keys() {
    List<Key> out = new ArrayList<>();
    walk("", FjordConfig.defaults(), out);
    return out;
  }

  private static void walk(String prefix, Object record, List<Key> out) {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class); // the annotation lands on the accessor
      if (p == null) {
        continue;
      }
      String path = prefix.isEmpty() ? p.value() : prefix + "." + p.value();
      Object value;
      try {
        value = c.getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (value != null && value.getClass().isRecord() && !(value instanceof ByteSize)) {
        walk(path, value, out);
      } else {
        out.add(new Key(path, typeName(c.getType()), COMPUTED_DEFAULTS.getOrDefault(path, format(value))));
      }
    }
  }

  private static String typeName(Class<?> type) {
    if (type == Duration.class) {
      return "duration";
    }
    if (type == ByteSize.class) {
      return "size";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean";
    }
    if (type == Double.class || type == Float.class) {
      return "float";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "int";
    }
    return "string";
  }

  private static String format(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Enum<?> e) {
      return CONFIG_NAMES.convertValue(e, String.class); // as YAML writes it (its @JsonValue)
    }
    if (value instanceof Duration d) {
      return LokiDuration.format(d);
    }
    return value.toString();
  }

  /** The reference as markdown table rows: {@code | `key` | type | `default` |}. */
  public static String row(Key k) {
    return "| `" + k.path() + "` | " + k.type() + " | `" + k.defaultValue() + "` |";
  }
}
