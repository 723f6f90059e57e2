package io.fjord.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fjord.common.config.ConfigJackson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The effective configuration as YAML in the config file's own layout and key names (what
 * {@code GET /config} shows), with the value of every key that names a secret (its name contains
 * {@code secret}, {@code password}, {@code token} or {@code key_id}) replaced by {@link #MASK} unless
 * it is empty. Pure; thread-safe.
 */
public final class EffectiveConfig {
  public static final String MASK = "********";
  private static final List<String> SECRET_WORDS = List.of("secret", "password", "token", "key_id");
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .addModule(ConfigJackson.module())
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build();

  private EffectiveConfig() {}

  public static String yaml(FjordConfig config) {
    return yaml((ObjectNode) YAML.valueToTree(config));
  }

  /** {@code tree} as YAML with its secrets masked (the tree is modified). */
  static String yaml(ObjectNode tree) {
    mask(tree);
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the configuration", e);
    }
  }

  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (String w : SECRET_WORDS) {
      if (k.contains(w)) {
        return true;
      }
    }
    return false;
  }

  private static void mask(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> secrets = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        JsonNode v = e.getValue();
        if (isSecret(e.getKey()) && v.isValueNode() && !v.isNull() && !v.asText().isEmpty()) {
          secrets.add(e.getKey());
        } else {
          mask(v);
        }
      }
      secrets.forEach(k -> object.put(k, MASK));
    } else if (node.isArray()) {
      node.forEach(EffectiveConfig::mask);
    }
  }
}
