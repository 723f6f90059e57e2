package io.fjord.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * The {@code common} section. Immutable.
 *
 * @param pathPrefix the data directory: the embedded broker's log under {@code kafka/}, the
 *     ingester's local state under {@code ingester/}
 */
public record CommonSection(@JsonProperty("path_prefix") String pathPrefix) {
  public CommonSection {
    pathPrefix = pathPrefix != null && !pathPrefix.isBlank() ? pathPrefix : "./data";
  }

  public static CommonSection defaults() {
    return new CommonSection(null);
  }

  public Path dataDir() {
    return Path.of(pathPrefix);
  }
}
