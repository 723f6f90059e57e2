package io.fjord.store.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code storage} section: where sealed chunks go. Loki spreads this over
 * {@code common.storage}, {@code storage_config} and {@code schema_config.object_store}; Fjord has
 * one backend at a time, so one section with Loki's names inside:
 *
 * <pre>
 * storage:
 *   backend: filesystem        # or s3
 *   filesystem:
 *     directory: /var/fjord/chunks
 *   s3:
 *     bucketnames: fjord-chunks
 *     region: eu-west-1
 *     endpoint: http://minio:9000
 *     access_key_id: ${S3_ACCESS_KEY}
 *     secret_access_key: ${S3_SECRET_KEY}
 *     s3forcepathstyle: true
 * </pre>
 *
 * Every field left out takes its default (filesystem under the data directory); the constructor
 * refuses what cannot work and names the key. Immutable.
 *
 * @param backend {@code filesystem} (default) or {@code s3}
 * @param filesystem the local directory backend's settings
 * @param s3 the S3 backend's settings; checked for a bucket only when {@code backend} is s3
 */
public record StorageConfig(
    @JsonProperty("backend") StorageBackend backend,
    @JsonProperty("filesystem") FilesystemStorageConfig filesystem,
    @JsonProperty("s3") S3StorageConfig s3) {

  public StorageConfig {
    backend = backend != null ? backend : StorageBackend.FILESYSTEM;
    filesystem = filesystem != null ? filesystem : FilesystemStorageConfig.defaults();
    s3 = s3 != null ? s3 : S3StorageConfig.defaults();
    if (backend == StorageBackend.S3) {
      s3.requireUsable();
    }
  }

  public static StorageConfig defaults() {
    return new StorageConfig(null, null, null);
  }

  public static StorageConfig filesystem(String directory) {
    return new StorageConfig(StorageBackend.FILESYSTEM, new FilesystemStorageConfig(directory), null);
  }

  public static StorageConfig s3(S3StorageConfig s3) {
    return new StorageConfig(StorageBackend.S3, null, s3);
  }
}
