package io.fjord.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fjord.common.config.LokiDuration;
import io.fjord.store.index.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the compactor's per-tenant {@link RetentionPolicy} from the configuration, as Loki does:
 * the default is {@code limits_config.retention_period}, or {@code compactor.retention_period} when
 * that is {@code 0s}; the file named by {@code limits_config.per_tenant_override_config} gives
 * tenants their own period:
 *
 * <pre>
 * overrides:
 *   "team-a":
 *     retention_period: 168h
 * </pre>
 *
 * <p>Only {@code retention_period} is read from a tenant's block; any other key is refused (naming
 * the file, the tenant and the key) so that nobody believes other overrides work. The file is read
 * once at start-up; changes need a restart. Stateless.
 */
public final class RetentionLimits {
  private static final ObjectMapper YAML = new YAMLMapper();

  private RetentionLimits() {}

  /** The retention default for tenants without an override (zero = keep forever). */
  public static Duration defaultPeriod(FjordConfig config) {
    Duration limits = config.limits().retentionPeriod();
    return limits.isZero() ? config.compactor().retentionPeriod() : limits;
  }

  /**
   * The policy of {@code config}, reading its overrides file if it names one.
   *
   * @throws ConfigException naming the file (and tenant and key) when it cannot be read or is wrong
   */
  public static RetentionPolicy load(FjordConfig config) {
    String file = config.limits().perTenantOverrideConfig();
    Map<String, Duration> perTenant = file.isEmpty() ? Map.of() : readOverrides(Path.of(file));
    try {
      return RetentionPolicy.perTenant(defaultPeriod(config), perTenant);
    } catch (IllegalArgumentException e) {
      throw new ConfigException((file.isEmpty() ? "" : file + ": ") + e.getMessage(), e);
    }
  }

  /** The tenants' retention periods in {@code file}. */
  static Map<String, Duration> readOverrides(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read limits_config.per_tenant_override_config " + file + ": " + e, e);
    }
    return parseOverrides(file.toString(), text);
  }

  static Map<String, Duration> parseOverrides(String source, String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    Map<String, Duration> out = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return out; // an empty file: no overrides
    }
    if (!root.isObject()) {
      throw new ConfigException(source + ": the overrides file must be a mapping with the key 'overrides'");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals("overrides")) {
        throw new ConfigException(source + ": unknown key '" + key + "' at the top level (only 'overrides' is read)");
      }
    }
    JsonNode overrides = root.get("overrides");
    if (overrides == null || overrides.isNull()) {
      return out;
    }
    if (!overrides.isObject()) {
      throw new ConfigException(source + ": 'overrides' must map tenant IDs to their limits");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> tenant = it.next();
      out.put(tenant.getKey(), retentionOf(source, tenant.getKey(), tenant.getValue()));
    }
    return out;
  }

  private static Duration retentionOf(String source, String tenant, JsonNode block) {
    String where = source + ": tenant '" + tenant + "': ";
    if (tenant.isEmpty()) {
      throw new ConfigException(source + ": an empty tenant ID in 'overrides'");
    }
    if (!block.isObject()) {
      throw new ConfigException(where + "expected a mapping of limits, like 'retention_period: 168h'");
    }
    for (Iterator<String> keys = block.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("retention_period")) {
        throw new ConfigException(where + "unsupported override '" + key
            + "': only retention_period can be overridden per tenant for now");
      }
    }
    JsonNode value = block.get("retention_period");
    if (value == null || !value.isValueNode() || value.isNull()) {
      throw new ConfigException(where + "retention_period must be a duration such as 168h");
    }
    try {
      return LokiDuration.parse(value.asText());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + "retention_period: " + e.getMessage(), e);
    }
  }
}
