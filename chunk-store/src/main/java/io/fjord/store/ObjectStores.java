package io.fjord.store;

import io.fjord.store.config.StorageConfig;
import io.fjord.store.local.LocalObjectStore;
import io.fjord.store.s3.S3ObjectStore;
import java.nio.file.Path;

/** Opens the {@link ObjectStore} a {@link StorageConfig} describes. Stateless. */
public final class ObjectStores {
  private ObjectStores() {}

  /**
   * The configured store; {@code dataDir} (Fjord's {@code common.path_prefix}) holds the local
   * directory when {@code storage.filesystem.directory} is left out. The caller closes it.
   */
  public static ObjectStore open(StorageConfig config, Path dataDir) {
    return switch (config.backend()) {
      case FILESYSTEM -> new LocalObjectStore(config.filesystem().directoryUnder(dataDir));
      case S3 -> new S3ObjectStore(config.s3());
    };
  }
}
