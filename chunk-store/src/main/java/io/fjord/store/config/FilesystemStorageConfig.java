package io.fjord.store.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * The {@code storage.filesystem} section. Immutable.
 *
 * @param directory where chunk objects are kept (Loki's {@code storage_config.filesystem.directory});
 *     left out, it is {@code chunks/} under the data directory ({@code common.path_prefix})
 */
public record FilesystemStorageConfig(@JsonProperty("directory") String directory) {

  public FilesystemStorageConfig {
    directory = directory == null || directory.isBlank() ? null : directory.strip();
  }

  public static FilesystemStorageConfig defaults() {
    return new FilesystemStorageConfig(null);
  }

  /** The configured directory, or {@code <dataDir>/chunks} when none is. */
  public Path directoryUnder(Path dataDir) {
    return directory != null ? Path.of(directory) : dataDir.resolve("chunks");
  }
}
