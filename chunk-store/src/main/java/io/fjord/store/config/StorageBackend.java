package io.fjord.store.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where chunks are stored: a local directory, or S3 / an S3-compatible store. */
public enum StorageBackend {
  FILESYSTEM("filesystem"),
  S3("s3");

  private final String configName;

  StorageBackend(String configName) {
    this.configName = configName;
  }

  @JsonValue
  public String configName() {
    return configName;
  }

  /** Parses {@code filesystem} or {@code s3} ({@code aws}, Loki's other name for it, too). */
  @JsonCreator
  public static StorageBackend parse(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "filesystem" -> FILESYSTEM;
      case "s3", "aws" -> S3;
      default -> throw new IllegalArgumentException("storage.backend must be filesystem or s3, got \"" + name + "\"");
    };
  }
}
